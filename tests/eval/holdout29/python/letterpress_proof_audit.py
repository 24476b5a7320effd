#!/usr/bin/env python3
"""Nightly audit of returned type loans at the letterpress studio.

When a member returns a borrowed type case they pull a proof of the full
fount; the scanned proof is compared with the reference proof to spot
damaged or missing sorts. Pixel comparison is CPU-bound, so it runs in a
process pool (one process per core) rather than threads.

Run from cron: 15 2 * * *  python -m studio.jobs.proof_audit
"""
import logging
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache

import numpy as np
import psycopg2
from PIL import Image

log = logging.getLogger("proof_audit")

DSN = os.environ["STUDIO_DSN"]
PROOF_DIR = os.environ.get("PROOF_DIR", "/srv/studio/proofs")
DAMAGE_THRESHOLD = 0.035


@lru_cache(maxsize=64)
def _reference(case_id: int) -> np.ndarray:
    path = os.path.join(PROOF_DIR, "reference", f"{case_id}.png")
    return np.asarray(Image.open(path).convert("L"), dtype=np.float32) / 255.0


def compare_proof(loan_id: int, case_id: int, scan_path: str) -> tuple[int, float]:
    ref = _reference(case_id)
    scan = Image.open(scan_path).convert("L").resize((ref.shape[1], ref.shape[0]))
    diff = np.abs(np.asarray(scan, dtype=np.float32) / 255.0 - ref)
    # fraction of the inked area that differs noticeably
    inked = ref < 0.5
    score = float((diff[inked] > 0.25).mean()) if inked.any() else 0.0
    return loan_id, score


def main() -> None:
    with psycopg2.connect(DSN, connect_timeout=10) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT l.id, l.case_id, l.return_scan_path FROM type_loans l "
            "WHERE l.returned_at IS NOT NULL AND l.audited_at IS NULL "
            "ORDER BY l.returned_at LIMIT 500"
        )
        pending = cur.fetchall()
        if not pending:
            log.info("no returned loans to audit")
            return

        results: list[tuple[int, float]] = []
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            futures = [pool.submit(compare_proof, *row) for row in pending]
            for fut in as_completed(futures):
                try:
                    results.append(fut.result())
                except Exception:
                    log.exception("proof comparison failed")
                    raise

        flagged = [(loan_id, score) for loan_id, score in results if score > DAMAGE_THRESHOLD]
        cur.execute(
            "UPDATE type_loans SET audited_at = now(), damage_score = s.score "
            "FROM unnest(%s::int[], %s::float8[]) AS s(loan_id, score) "
            "WHERE type_loans.id = s.loan_id",
            ([r[0] for r in results], [r[1] for r in results]),
        )
        log.info("audited %d loans, %d flagged for inspection", len(results), len(flagged))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
