"""
housing/tasks.py

Celery tasks for the residence-hall room lottery. The HTTP side (bottom of this
file) only enqueues `run_lottery_round` and answers 202 with the task id; the
draw itself takes a few minutes for the fall round (~18k applicants).
"""
import logging
import secrets

from celery import shared_task
from celery.result import AsyncResult
from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from housing.auth import staff_required
from housing.db import SessionLocal

log = logging.getLogger(__name__)
_rng = secrets.SystemRandom()

BATCH = 1000


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,       # 1s, 2s, 4s, ... capped below
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)
def run_lottery_round(self, round_id: int) -> dict:
    with SessionLocal.begin() as session:
        # lock the round row so a duplicate task can't draw the same round twice
        rnd = session.execute(
            text("SELECT id, status FROM lottery_rounds WHERE id = :id FOR UPDATE"),
            {"id": round_id},
        ).mappings().one()
        if rnd["status"] != "open":
            log.info("round %s is %s, nothing to draw", round_id, rnd["status"])
            return {"round": round_id, "numbered": 0}
        session.execute(
            text("UPDATE lottery_rounds SET status = 'drawing', draw_started_at = now() WHERE id = :id"),
            {"id": round_id},
        )
        ids = session.execute(
            text("SELECT id FROM housing_applications WHERE round_id = :r AND status = 'pending'"),
            {"r": round_id},
        ).scalars().all()

    _rng.shuffle(ids)

    # one executemany round-trip per batch of 1000 applications
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        with SessionLocal.begin() as session:
            session.execute(
                text(
                    "UPDATE housing_applications SET lottery_number = :n, status = 'numbered' "
                    "WHERE id = :id AND status = 'pending'"
                ),
                [{"id": app_id, "n": start + i + 1} for i, app_id in enumerate(chunk)],
            )
        self.update_state(state="PROGRESS", meta={"done": start + len(chunk), "total": len(ids)})

    with SessionLocal.begin() as session:
        session.execute(
            text("UPDATE lottery_rounds SET status = 'drawn', draw_finished_at = now() WHERE id = :id"),
            {"id": round_id},
        )
    log.info("round %s drawn, %d applications numbered", round_id, len(ids))
    return {"round": round_id, "numbered": len(ids)}


# --- housing/api.py -------------------------------------------------------
bp = Blueprint("lottery", __name__, url_prefix="/api/lottery")


@bp.post("/rounds/<int:round_id>/draw")
@staff_required
def start_draw(round_id):
    task = run_lottery_round.delay(round_id)
    return jsonify(task_id=task.id, status_url=f"/api/lottery/tasks/{task.id}"), 202


@bp.get("/tasks/<task_id>")
@staff_required
def draw_status(task_id):
    res = AsyncResult(task_id)
    return jsonify(state=res.state, info=res.info if isinstance(res.info, dict) else None)
