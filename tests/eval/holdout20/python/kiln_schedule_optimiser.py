"""Nightly kiln schedule optimiser.

Run from cron on the worker VM:  python -m studio.jobs.kiln_schedule_optimiser
For each studio, picks the next week's pending firing requests and scores
candidate packings of ware onto kiln shelves. Scoring is pure-Python number
crunching, so it is spread over a process pool rather than threads.
"""
import itertools
import logging
import os
from concurrent.futures import ProcessPoolExecutor

import psycopg2
import psycopg2.extras

log = logging.getLogger("kiln_optimiser")

DATABASE_URL = os.environ["DATABASE_URL"]
MAX_REQUESTS_PER_KILN = 14  # exhaustive search, keep the groups small
WORKERS = max(1, (os.cpu_count() or 2) - 1)

PENDING_SQL = """
    SELECT r.id, r.kiln_id, r.cone, r.shelf_cm2, r.height_cm, r.member_id
      FROM firing_requests r
     WHERE r.studio_id = ANY(%s) AND r.status = 'pending'
       AND r.wanted_by < now() + interval '7 days'
     ORDER BY r.kiln_id, r.wanted_by
     LIMIT 20000
"""


def score_packing(args):
    """Try shelf orderings and return the best fill ratio for one kiln/cone group."""
    kiln_id, cone, shelf_area, items = args
    best, best_combo = 0.0, ()
    for size in range(len(items), 0, -1):
        for combo in itertools.combinations(items, size):
            area = sum(i["shelf_cm2"] for i in combo)
            if area <= shelf_area and area / shelf_area > best:
                best, best_combo = area / shelf_area, combo
        if best > 0.92:
            break
    return kiln_id, cone, best, [i["id"] for i in best_combo]


def _groups(rows, shelf_areas):
    by_key = {}
    for row in rows:
        by_key.setdefault((row["kiln_id"], row["cone"]), []).append(row)
    for (kiln_id, cone), items in by_key.items():
        yield kiln_id, cone, shelf_areas[kiln_id], items[:MAX_REQUESTS_PER_KILN]


def run() -> None:
    conn = psycopg2.connect(DATABASE_URL, connect_timeout=10)
    try:
        with conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute("SELECT id FROM studios WHERE active ORDER BY id")
            studio_ids = [r["id"] for r in cur.fetchall()]
            cur.execute("SELECT id, studio_id, shelf_area_cm2 FROM kilns WHERE studio_id = ANY(%s)", (studio_ids,))
            kilns = cur.fetchall()
            cur.execute(PENDING_SQL, (studio_ids,))
            pending = cur.fetchall()

        shelf_areas = {k["id"]: k["shelf_area_cm2"] for k in kilns}
        with ProcessPoolExecutor(max_workers=WORKERS) as pool:
            results = list(pool.map(score_packing, _groups(pending, shelf_areas), chunksize=4))

        plan_rows = [
            (kiln_id, cone, fill, request_ids)
            for kiln_id, cone, fill, request_ids in results
            if request_ids
        ]
        with conn, conn.cursor() as cur:
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO kiln_load_plans (kiln_id, cone, fill_ratio, request_ids) VALUES %s "
                "ON CONFLICT (kiln_id, cone) DO UPDATE "
                "SET fill_ratio = EXCLUDED.fill_ratio, request_ids = EXCLUDED.request_ids, "
                "    planned_at = now()",
                plan_rows,
            )
        log.info("planned %d kiln loads for %d studios", len(plan_rows), len(studio_ids))
    finally:
        conn.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    run()
