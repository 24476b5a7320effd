"""Dashboard API for hedgehog rescue centres (one deployment, many centres).

The occupancy panel is the same for every volunteer of a centre, so it is
cached per centre. Only one worker recomputes it when it expires; the others
serve the previous value meanwhile.
Runs as 3 uvicorn pods behind the ingress; the cache is the shared Redis.
"""
import json
import time
from datetime import datetime, timedelta, timezone

import redis
from fastapi import APIRouter, Depends, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .auth import Volunteer, current_volunteer
from .db import get_session
from .models import Admission, Carer, WeightCheck

router = APIRouter(prefix="/dashboard")
rds = redis.Redis(host="redis", port=6379, db=2, socket_timeout=1, socket_connect_timeout=1)

OCCUPANCY_TTL = 300
LOCK_TTL = 30


def _compute_occupancy(session: Session, centre_id: int) -> dict:
    rows = session.execute(
        select(Admission.ward, Admission.status, func.count())
        .where(Admission.centre_id == centre_id, Admission.released_at.is_(None))
        .group_by(Admission.ward, Admission.status)
    ).all()
    return {"wards": [{"ward": w, "status": s, "count": n} for w, s, n in rows], "at": int(time.time())}


def occupancy(session: Session, centre_id: int) -> dict:
    key = f"hog:occupancy:{centre_id}"
    stale_key = f"{key}:stale"
    cached = rds.get(key)
    if cached:
        return json.loads(cached)

    # Single flight: whoever gets the lock recomputes, everyone else serves
    # the previous value until the fresh one lands.
    if rds.set(f"{key}:lock", "1", nx=True, ex=LOCK_TTL):
        try:
            value = _compute_occupancy(session, centre_id)
            payload = json.dumps(value)
            rds.set(key, payload, ex=OCCUPANCY_TTL)
            rds.set(stale_key, payload, ex=OCCUPANCY_TTL * 12)
            return value
        finally:
            rds.delete(f"{key}:lock")

    stale = rds.get(stale_key)
    if stale:
        return {**json.loads(stale), "stale": True}
    # Very first load for this centre while another request computes it.
    return {"wards": [], "pending": True}


@router.get("/occupancy")
def get_occupancy(me: Volunteer = Depends(current_volunteer), session: Session = Depends(get_session)):
    return occupancy(session, me.centre_id)


@router.get("/needs-weighing")
def needs_weighing(
    me: Volunteer = Depends(current_volunteer),
    session: Session = Depends(get_session),
    limit: int = Query(50, le=100),
):
    """Patients not weighed in the last 48 h, with their foster carer."""
    cutoff = datetime.now(timezone.utc) - timedelta(hours=48)
    last_weighed = (
        select(WeightCheck.admission_id, func.max(WeightCheck.checked_at).label("last_at"))
        .where(WeightCheck.centre_id == me.centre_id)
        .group_by(WeightCheck.admission_id)
        .subquery()
    )
    patients = session.execute(
        select(Admission, last_weighed.c.last_at)
        .outerjoin(last_weighed, last_weighed.c.admission_id == Admission.id)
        .where(
            Admission.centre_id == me.centre_id,
            Admission.released_at.is_(None),
            (last_weighed.c.last_at.is_(None)) | (last_weighed.c.last_at < cutoff),
        )
        .order_by(last_weighed.c.last_at.asc().nulls_first())
        .limit(limit)
    ).all()

    carer_ids = {a.carer_id for a, _ in patients if a.carer_id}
    carers = {
        c.id: c
        for c in session.scalars(select(Carer).where(Carer.centre_id == me.centre_id, Carer.id.in_(carer_ids)))
    }
    return [
        {
            "admission_id": a.id,
            "nickname": a.nickname,
            "ward": a.ward,
            "last_weighed": last_at.isoformat() if last_at else None,
            "carer": carers[a.carer_id].name if a.carer_id in carers else None,
        }
        for a, last_at in patients
    ]
