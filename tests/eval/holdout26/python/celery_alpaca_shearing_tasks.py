"""Background jobs for the spring alpaca shearing rounds.

A round is a day's visit by a contract shearer to one farm. When the round
is scheduled we text the shearer; afterwards the farm hand uploads fleece
weights from the scale, which we store against each animal.
"""
import logging
import os
import time

import requests
from celery import Celery
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from shearing.db import SessionLocal
from shearing.models import Alpaca, ShearingRound

log = logging.getLogger(__name__)

app = Celery("shearing", broker=os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0"))

SMS_URL = "https://sms.example.net/v2/messages"
sms = requests.Session()
sms.headers.update({"Authorization": f"Bearer {os.environ.get('SMS_TOKEN', '')}"})


def _message_for(round_: ShearingRound) -> str:
    return (
        f"Shearing round {round_.reference}: {round_.farm_name}, {round_.day:%a %d %b} "
        f"from {round_.start_time:%H:%M}. {round_.head_count} animals. Reply Y to confirm."
    )


@app.task
def notify_shearer(round_id: int) -> None:
    with SessionLocal() as session:
        round_ = session.get(ShearingRound, round_id)
        if round_ is None or round_.cancelled:
            return
        payload = {"to": round_.shearer_phone, "body": _message_for(round_)}

    for attempt in range(1, 6):
        try:
            resp = sms.post(SMS_URL, json=payload, timeout=10)
            if resp.status_code < 500:
                resp.raise_for_status()
                log.info("texted shearer for round %s (attempt %d)", round_id, attempt)
                return
            log.warning("sms gateway %s on attempt %d", resp.status_code, attempt)
        except requests.ConnectionError as exc:
            log.warning("sms gateway unreachable on attempt %d: %s", attempt, exc)
        time.sleep(2)
    raise RuntimeError(f"could not text shearer for round {round_id}")


@app.task
def record_fleece_weights(round_id: int, weights: dict[str, float]) -> dict:
    """weights maps alpaca tag -> fleece weight in kg, straight from the scale export."""
    with SessionLocal() as session:
        tags = list(weights)
        animals = session.execute(
            select(Alpaca.id, Alpaca.tag).where(Alpaca.tag.in_(tags))
        ).all()
        rows = [
            {"id": a.id, "last_fleece_kg": weights[a.tag], "last_round_id": round_id}
            for a in animals
        ]
        try:
            # executemany-style bulk UPDATE by primary key
            session.execute(update(Alpaca), rows)
            session.execute(
                update(ShearingRound)
                .where(ShearingRound.id == round_id)
                .values(status="weighed", fleece_total_kg=sum(weights.values()))
            )
            session.commit()
        except SQLAlchemyError:
            session.rollback()
        return {"round_id": round_id, "recorded": len(rows)}
