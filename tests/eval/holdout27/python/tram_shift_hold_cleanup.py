"""Hourly job: release expired holds on tram-restoration volunteer shifts.

A volunteer who starts signing up for a workshop shift gets a 20-minute hold
(row in ``shift_holds`` with ``expires_at``). This job deletes holds that ran
out and texts the volunteers on the waiting list that a place has opened.
Scheduled from Celery beat (``crontab(minute=5)``), one run at a time.
"""
import logging
import os
from concurrent.futures import ThreadPoolExecutor, as_completed

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import create_engine, text
from urllib3.util.retry import Retry

log = logging.getLogger("shift-hold-cleanup")

engine = create_engine(
    os.environ["TRAMS_DB_URL"],
    pool_size=2,
    pool_pre_ping=True,
    connect_args={"options": "-c statement_timeout=30000"},
)

BATCH = 1000
SMS_TIMEOUT = (2, 5)


def sms_session() -> requests.Session:
    retry = Retry(
        total=4,
        backoff_factor=0.5,      # 0.5, 1, 2, 4 s
        backoff_max=10,
        backoff_jitter=0.3,
        status_forcelist=(429, 502, 503, 504),
        allowed_methods=frozenset({"POST"}),
    )
    s = requests.Session()
    s.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=8))
    s.headers["Authorization"] = f"Bearer {os.environ['SMS_API_TOKEN']}"
    return s


def delete_expired_holds() -> list[int]:
    """Delete in batches so a backlog never holds a long lock on the table."""
    freed_shifts: set[int] = set()
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                text(
                    "DELETE FROM shift_holds WHERE id IN ("
                    "  SELECT id FROM shift_holds WHERE expires_at < now() "
                    "  ORDER BY id LIMIT :batch FOR UPDATE SKIP LOCKED"
                    ") RETURNING shift_id"
                ),
                {"batch": BATCH},
            ).scalars().all()
        freed_shifts.update(rows)
        if len(rows) < BATCH:
            break
    return sorted(freed_shifts)


def waiting_list_numbers(shift_ids: list[int]) -> list[tuple[int, str]]:
    if not shift_ids:
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT DISTINCT ON (w.shift_id) w.shift_id, v.mobile "
                "FROM shift_waiting_list w JOIN volunteers v ON v.id = w.volunteer_id "
                "WHERE w.shift_id = ANY(:ids) ORDER BY w.shift_id, w.joined_at"
            ),
            {"ids": shift_ids},
        ).all()
    return [(r.shift_id, r.mobile) for r in rows]


def run() -> None:
    freed = delete_expired_holds()
    targets = waiting_list_numbers(freed)
    log.info("released holds on %d shifts, notifying %d volunteers", len(freed), len(targets))

    session = sms_session()
    # Network-bound fan-out; threads spend their time waiting on the SMS API
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {
            pool.submit(
                session.post,
                os.environ["SMS_API_URL"],
                json={"to": mobile, "text": f"A place opened on tram workshop shift #{shift_id}."},
                timeout=SMS_TIMEOUT,
            ): shift_id
            for shift_id, mobile in targets
        }
        for fut in as_completed(futures):
            try:
                fut.result().raise_for_status()
            except requests.RequestException:
                log.exception("SMS for shift %s failed after retries", futures[fut])
                raise
