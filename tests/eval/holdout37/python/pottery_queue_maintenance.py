"""Background jobs for the pottery co-op kiln queue (Celery + Postgres).

- purge_lapsed_holds: unconfirmed glaze-bench holds expire after 30 minutes;
  delete them in small batches so the table stays small.
- load_next_firing: kiln loaders pick the next firing job; several loader
  workers run, so each claims a different row.
"""
import logging

from celery import Celery
from celery.schedules import crontab
from sqlalchemy import text

from .db import engine

log = logging.getLogger(__name__)
app = Celery("kiln", broker="redis://redis:6379/2")

PURGE_BATCH = 2000

PURGE_LAPSED = text(
    """
    DELETE FROM glaze_bench_holds
     WHERE id IN (
           SELECT id FROM glaze_bench_holds
            WHERE confirmed = false
              AND expires_at < now() - interval '1 hour'
            ORDER BY id
            LIMIT :batch)
    """
)

CLAIM_NEXT = text(
    """
    UPDATE firing_jobs
       SET status = 'loading', claimed_by = :worker, claimed_at = now()
     WHERE id = (
           SELECT id FROM firing_jobs
            WHERE status = 'queued'
            ORDER BY priority DESC, queued_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
    RETURNING id, kiln_id, programme
    """
)


@app.on_after_configure.connect
def schedule(sender, **_):
    sender.add_periodic_task(crontab(minute="*/10"), purge_lapsed_holds.s())


@app.task
def purge_lapsed_holds() -> int:
    total = 0
    while True:
        with engine.begin() as conn:
            deleted = conn.execute(PURGE_LAPSED, {"batch": PURGE_BATCH}).rowcount
        total += deleted
        if deleted < PURGE_BATCH:
            break
    log.info("purged %d lapsed glaze bench holds", total)
    return total


@app.task(bind=True)
def load_next_firing(self) -> dict | None:
    worker = self.request.hostname
    try:
        with engine.begin() as conn:
            job = conn.execute(CLAIM_NEXT, {"worker": worker}).mappings().first()
    except Exception:
        log.exception("could not claim a firing job on %s", worker)
        raise
    if job is None:
        log.debug("no queued firings")
        return None
    log.info("worker %s loading firing %s on kiln %s", worker, job["id"], job["kiln_id"])
    return dict(job)
