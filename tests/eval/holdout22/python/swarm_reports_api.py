"""Swarm report intake for the county beekeepers' association.

Members of the public report a honeybee swarm (location + a few details) and
collectors on the rota claim it from the dashboard.
"""
from datetime import datetime, timezone

import requests
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import update
from sqlalchemy.orm import Session

from .auth import current_collector
from .db import get_session
from .models import SwarmReport
from .settings import settings

router = APIRouter(prefix="/swarms", tags=["swarms"])

GEOCODER_URL = "https://geocode.example-maps.com/v1/reverse"


class SwarmReportIn(BaseModel):
    reporter_name: str = Field(max_length=120)
    reporter_phone: str = Field(max_length=32)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    height_m: float | None = Field(default=None, ge=0, le=40)
    notes: str | None = Field(default=None, max_length=2000)


class SwarmReportOut(BaseModel):
    id: int
    parish: str | None
    status: str
    height_m: float | None
    reported_at: datetime

    class Config:
        from_attributes = True


def reverse_geocode(lat: float, lng: float) -> str | None:
    """Turn coordinates into a parish name so collectors know roughly where to go."""
    resp = requests.get(
        GEOCODER_URL,
        params={"lat": lat, "lon": lng, "key": settings.geocoder_key},
    )
    resp.raise_for_status()
    return resp.json().get("address", {}).get("parish")


@router.post("", response_model=SwarmReportOut, status_code=201)
def create_report(payload: SwarmReportIn, db: Session = Depends(get_session)):
    parish = reverse_geocode(payload.lat, payload.lng)
    report = SwarmReport(
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        lat=payload.lat,
        lng=payload.lng,
        height_m=payload.height_m,
        notes=payload.notes,
        parish=parish,
        status="open",
        reported_at=datetime.now(timezone.utc),
    )
    db.add(report)
    db.commit()
    db.refresh(report)
    return report


@router.get("", response_model=list[SwarmReportOut])
def list_reports(status: str = "open", db: Session = Depends(get_session)):
    # The collectors' map shows every pin, newest first.
    reports = db.query(SwarmReport).filter(SwarmReport.status == status).order_by(SwarmReport.reported_at.desc()).all()
    return reports


@router.post("/{report_id}/claim", response_model=SwarmReportOut)
def claim_report(
    report_id: int,
    db: Session = Depends(get_session),
    collector=Depends(current_collector),
):
    # Only one collector may go out to a swarm; the status guard makes the
    # claim a single conditional write.
    result = db.execute(
        update(SwarmReport)
        .where(SwarmReport.id == report_id, SwarmReport.status == "open")
        .values(status="claimed", collector_id=collector.id,
                claimed_at=datetime.now(timezone.utc))
    )
    if result.rowcount != 1:
        db.rollback()
        raise HTTPException(status_code=409, detail="Swarm already claimed or closed")
    db.commit()
    return db.get(SwarmReport, report_id)
