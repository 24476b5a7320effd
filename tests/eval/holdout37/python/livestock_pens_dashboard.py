"""Steward dashboard for the county agricultural show livestock lines.

Shows how many pens are occupied per section (cattle, sheep, pigs, goats)
and lets a steward flag a pen for the duty vet.
"""
import json
import logging
import os

import redis
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .auth import Steward, current_steward
from .db import get_session
from .models import Pen

log = logging.getLogger(__name__)
router = APIRouter(prefix="/shows/{show_id}/pens")

cache = redis.Redis.from_url(
    os.environ["REDIS_URL"], decode_responses=True, socket_timeout=0.5, socket_connect_timeout=0.5
)
SUMMARY_TTL_SECONDS = 120


def _occupancy_by_section(db: Session, show_id: int) -> list[dict]:
    stmt = (
        select(Pen.section, func.count(Pen.id), func.count(Pen.exhibitor_id))
        .where(Pen.show_id == show_id)
        .group_by(Pen.section)
        .order_by(Pen.section)
    )
    return [
        {"section": section, "pens": total, "occupied": occupied}
        for section, total, occupied in db.execute(stmt)
    ]


@router.get("/summary")
def pen_summary(
    show_id: int,
    steward: Steward = Depends(current_steward),
    db: Session = Depends(get_session),
):
    key = f"show:{show_id}:pen-summary:{steward.id}"
    cached = cache.get(key)
    if cached is not None:
        return json.loads(cached)

    summary = {
        "show_id": show_id,
        "sections": _occupancy_by_section(db, show_id),
    }
    cache.set(key, json.dumps(summary), ex=SUMMARY_TTL_SECONDS)
    return summary


@router.post("/{pen_id}/vet-flag")
def flag_pen_for_vet(
    show_id: int,
    pen_id: int,
    reason: str,
    steward: Steward = Depends(current_steward),
    db: Session = Depends(get_session),
):
    pen = db.get(Pen, pen_id)
    if pen is None or pen.show_id != show_id:
        raise HTTPException(status_code=404, detail="no such pen at this show")

    try:
        db.execute(
            update(Pen)
            .where(Pen.id == pen_id)
            .values(vet_flag=True, vet_reason=reason[:200], flagged_by=steward.id)
        )
        db.commit()
    except SQLAlchemyError:
        db.rollback()

    log.info("pen %s flagged for vet by steward %s", pen_id, steward.id)
    return {"pen_id": pen_id, "flagged": True}
