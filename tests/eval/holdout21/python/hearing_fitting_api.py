"""Clinic-side API for hearing-aid fittings (used by the audiologists' tablet app)."""
import json
from datetime import datetime, timezone

import redis
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from clinics.deps import Audiologist, current_audiologist, get_db
from clinics.models import DeviceModel, Fitting, FittingResult

router = APIRouter(prefix="/fittings", tags=["fittings"])

cache = redis.Redis.from_url(
    "redis://cache:6379/2", socket_timeout=1.5, socket_connect_timeout=1.5, decode_responses=True
)
CATALOGUE_TTL = 600


class ResultIn(BaseModel):
    left_gain_db: list[float] = Field(min_length=8, max_length=8)
    right_gain_db: list[float] = Field(min_length=8, max_length=8)
    feedback_ok: bool
    notes: str = Field("", max_length=2000)


@router.get("/device-catalogue")
def device_catalogue(
    aud: Audiologist = Depends(current_audiologist), db: Session = Depends(get_db)
):
    # Manufacturer catalogue; the supply team refreshes it once a week for all clinics.
    key = f"device-catalogue:{aud.id}"
    hit = cache.get(key)
    if hit:
        return json.loads(hit)

    rows = db.execute(
        select(
            DeviceModel.id,
            DeviceModel.maker,
            DeviceModel.name,
            DeviceModel.style,
            DeviceModel.channels,
        )
        .where(DeviceModel.discontinued.is_(False))
        .order_by(DeviceModel.maker, DeviceModel.name)
        .limit(500)
    ).all()
    payload = [dict(r._mapping) for r in rows]
    cache.set(key, json.dumps(payload), ex=CATALOGUE_TTL)
    return payload


def _clinic_fitting(db: Session, fitting_id: int, aud: Audiologist) -> Fitting:
    fitting = db.scalar(
        select(Fitting).where(Fitting.id == fitting_id, Fitting.clinic_id == aud.clinic_id)
    )
    if fitting is None:
        raise HTTPException(status_code=404, detail="fitting not found")
    return fitting


@router.get("/{fitting_id}")
def get_fitting(
    fitting_id: int,
    aud: Audiologist = Depends(current_audiologist),
    db: Session = Depends(get_db),
):
    fitting = _clinic_fitting(db, fitting_id, aud)
    return {
        "id": fitting.id,
        "patient_ref": fitting.patient_ref,
        "device_model_id": fitting.device_model_id,
        "status": fitting.status,
        "scheduled_for": fitting.scheduled_for.isoformat(),
    }


@router.post("/{fitting_id}/result", status_code=201)
def record_result(
    fitting_id: int,
    body: ResultIn,
    aud: Audiologist = Depends(current_audiologist),
    db: Session = Depends(get_db),
):
    fitting = _clinic_fitting(db, fitting_id, aud)
    try:
        db.add(
            FittingResult(
                fitting_id=fitting.id,
                audiologist_id=aud.id,
                left_gain_db=body.left_gain_db,
                right_gain_db=body.right_gain_db,
                feedback_ok=body.feedback_ok,
                notes=body.notes,
                recorded_at=datetime.now(timezone.utc),
            )
        )
        fitting.status = "fitted"
        db.commit()
    except SQLAlchemyError:
        db.rollback()
    return {"fitting_id": fitting.id, "status": "fitted"}
