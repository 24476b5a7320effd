"""Model-aircraft flying field permits: listing and annual CAA-style export.

Each flying club is a tenant; ``current_member`` resolves the caller's club.
Building the export (every permit plus pilot competency checks) takes several
minutes for the larger clubs, so it runs in Celery and the client polls.
"""
from datetime import datetime

from celery.result import AsyncResult
from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from .auth import Member, current_member
from .db import get_session
from .models import FieldPermit
from .worker import build_permit_export, celery_app

router = APIRouter(prefix="/permits", tags=["permits"])


@router.get("")
def list_permits(
    member: Member = Depends(current_member),
    db: Session = Depends(get_session),
    after_id: int | None = None,
    limit: int = Query(50, ge=1, le=200),
):
    """Keyset-paginated permits for the caller's club."""
    stmt = (
        select(FieldPermit)
        .where(FieldPermit.club_id == member.club_id)
        .order_by(FieldPermit.id)
        .limit(limit)
    )
    if after_id is not None:
        stmt = stmt.where(FieldPermit.id > after_id)
    permits = db.scalars(stmt).all()
    return {
        "items": [
            {
                "id": p.id,
                "pilot": p.pilot_name,
                "max_weight_kg": float(p.max_takeoff_kg),
                "fpv": p.fpv_allowed,
                "expires": p.expires_on.isoformat(),
            }
            for p in permits
        ],
        "next_after_id": permits[-1].id if len(permits) == limit else None,
    }


@router.get("/{permit_id}")
def get_permit(permit_id: int, member: Member = Depends(current_member), db: Session = Depends(get_session)):
    permit = db.scalar(
        select(FieldPermit).where(FieldPermit.id == permit_id, FieldPermit.club_id == member.club_id)
    )
    if permit is None:
        raise HTTPException(404, "permit not found")
    return {"id": permit.id, "pilot": permit.pilot_name, "expires": permit.expires_on.isoformat()}


@router.post("/exports", status_code=202)
def start_export(year: int = Query(..., ge=2000, le=2100), member: Member = Depends(current_member)):
    if not member.is_committee:
        raise HTTPException(403, "committee members only")
    task = build_permit_export.delay(club_id=member.club_id, year=year, requested_by=member.id)
    return {
        "task_id": task.id,
        "status_url": f"/permits/exports/{task.id}",
        "requested_at": datetime.utcnow().isoformat(),
    }


@router.get("/exports/{task_id}")
def export_status(task_id: str, member: Member = Depends(current_member)):
    result = AsyncResult(task_id, app=celery_app)
    if result.state in ("PENDING", "STARTED", "RETRY"):
        return {"state": result.state}
    if result.state == "FAILURE":
        return {"state": "FAILURE", "detail": "export failed, the committee has been emailed"}

    payload = result.result or {}
    if payload.get("club_id") != member.club_id:
        raise HTTPException(404, "export not found")
    return {"state": "SUCCESS", "download_url": payload["download_url"]}
