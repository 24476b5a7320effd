"""Nightly maintenance for the tidal mill grinding logs.

* verifies the stone-speed traces recorded during each tide (CPU heavy:
  FFT over a few million samples per run), using a process pool;
* purges expired operator sessions and stale draft logs.
Runs from cron: `python -m mill.maintenance` at 02:30.
"""
import logging
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone

import numpy as np
import psycopg2
from psycopg2.extras import execute_values

log = logging.getLogger("mill.maintenance")
DSN = "postgresql://mill@db/tidemill?connect_timeout=10"


def analyse_trace(run_id, samples):
    arr = np.asarray(samples, dtype=np.float32)
    spectrum = np.abs(np.fft.rfft(arr - arr.mean()))
    peak_bin = int(spectrum[1:].argmax()) + 1
    chatter = float(spectrum[peak_bin] / (spectrum.sum() or 1.0))
    return run_id, peak_bin, chatter


def verify_traces(conn, since):
    with conn.cursor() as cur:
        cur.execute(
            "SELECT id, trace FROM grinding_runs "
            "WHERE finished_at >= %s AND verified_at IS NULL "
            "ORDER BY id LIMIT 500",
            (since,),
        )
        runs = cur.fetchall()
    if not runs:
        return 0
    with ProcessPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(analyse_trace, *zip(*runs)))
    with conn.cursor() as cur:
        execute_values(
            cur,
            "UPDATE grinding_runs AS g SET peak_bin = v.peak, chatter = v.chatter, "
            "verified_at = now() FROM (VALUES %s) AS v(id, peak, chatter) "
            "WHERE g.id = v.id",
            results,
        )
    return len(results)


def purge_expired(conn):
    with conn.cursor() as cur:
        cur.execute("DELETE FROM operator_sessions WHERE expires_at < now()")
        sessions = cur.rowcount
        cur.execute(
            "DELETE FROM grinding_log_drafts WHERE updated_at < now() - interval '14 days'"
        )
        drafts = cur.rowcount
    return sessions, drafts


def main():
    since = datetime.now(timezone.utc) - timedelta(days=2)
    conn = psycopg2.connect(DSN)
    try:
        with conn:
            verified = verify_traces(conn, since)
        with conn:
            sessions, drafts = purge_expired(conn)
        log.info("verified=%s sessions_purged=%s drafts_purged=%s",
                 verified, sessions, drafts)
    except Exception:
        log.exception("mill maintenance failed")
        raise
    finally:
        conn.close()


if __name__ == "__main__":
    main()
