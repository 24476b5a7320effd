# hr/jobs/payroll_sync.py
# RQ job: push approved timesheets for a pay period to the external payroll provider.
# Enqueued from the admin UI: queue.enqueue(push_timesheets, batch_id, job_timeout=1800)
import logging
import os
import time

import requests
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)

PROVIDER_URL = os.environ["PAYROLL_PROVIDER_URL"]  # e.g. https://api.payrollco.example/v3
PROVIDER_TOKEN = os.environ["PAYROLL_PROVIDER_TOKEN"]
CHUNK = 500

pool = ConnectionPool(os.environ["HR_DSN"], min_size=1, max_size=4, kwargs={"row_factory": dict_row})


def _auth_headers():
    return {"Authorization": f"Bearer {PROVIDER_TOKEN}", "Content-Type": "application/json"}


def _post_with_retry(path, payload):
    while True:
        try:
            resp = requests.post(f"{PROVIDER_URL}{path}", json=payload, headers=_auth_headers())
            if resp.status_code < 500 and resp.status_code != 429:
                resp.raise_for_status()
                return resp.json()
            log.warning("payroll provider returned %s, retrying", resp.status_code)
        except requests.ConnectionError as exc:
            log.warning("payroll provider unreachable: %s, retrying", exc)
        time.sleep(3)


def _load_entries(batch_id):
    with pool.connection() as conn:
        return conn.execute(
            """
            SELECT t.employee_id, e.external_payroll_id, t.work_date,
                   t.regular_minutes, t.overtime_minutes, t.pto_minutes
            FROM timesheet_entries t
            JOIN employees e ON e.id = t.employee_id
            WHERE t.batch_id = %s AND t.status = 'approved'
            ORDER BY t.employee_id, t.work_date
            """,
            (batch_id,),
        ).fetchall()


def push_timesheets(batch_id):
    entries = _load_entries(batch_id)
    log.info("batch %s: pushing %d timesheet entries", batch_id, len(entries))

    for start in range(0, len(entries), CHUNK):
        chunk = entries[start : start + CHUNK]
        _post_with_retry(
            "/timesheets/bulk",
            {
                "batch_ref": f"hrapp-{batch_id}-{start // CHUNK}",
                "entries": [
                    {
                        "employee": row["external_payroll_id"],
                        "date": row["work_date"].isoformat(),
                        "regular_minutes": row["regular_minutes"],
                        "overtime_minutes": row["overtime_minutes"],
                        "pto_minutes": row["pto_minutes"],
                    }
                    for row in chunk
                ],
            },
        )

    with pool.connection() as conn:
        conn.execute(
            "UPDATE payroll_batches SET status = 'synced', synced_at = now() WHERE id = %s",
            (batch_id,),
        )
    log.info("batch %s synced", batch_id)
