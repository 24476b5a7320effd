"""Observation export API: a member asks for a FITS bundle of one telescope slot.

Building a bundle (calibration, plate solving, zipping a few GB) takes several
minutes, so the request only records a job and hands it to the `exports`
Celery queue; the client polls the status URL. Several observatories share
the portal, so every query is scoped by observatory_id.
"""
from datetime import datetime, timezone
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from observatory.auth import Member, current_member
from observatory.db import get_session
from observatory.models import ExportJob, TelescopeSlot
from observatory.tasks import build_export_bundle

router = APIRouter(prefix="/exports", tags=["exports"])


def _job_view(job: ExportJob) -> dict:
    return {
        "job_id": str(job.id),
        "slot_id": job.slot_id,
        "state": job.state,
        "progress": job.progress,
        "download_url": job.download_url if job.state == "done" else None,
        "status_url": f"/exports/{job.id}",
    }


@router.post("", status_code=202)
def request_export(
    slot_id: int,
    member: Member = Depends(current_member),
    session: Session = Depends(get_session),
):
    slot = session.scalar(
        select(TelescopeSlot).where(
            TelescopeSlot.id == slot_id,
            TelescopeSlot.observatory_id == member.observatory_id,
            TelescopeSlot.member_id == member.id,
        )
    )
    if slot is None:
        raise HTTPException(404, "slot not found")
    if slot.ends_at > datetime.now(timezone.utc):
        raise HTTPException(409, "the slot has not finished yet")

    job = ExportJob(
        id=uuid4(),
        slot_id=slot.id,
        member_id=member.id,
        observatory_id=member.observatory_id,
        state="queued",
        progress=0,
    )
    session.add(job)
    session.commit()
    build_export_bundle.apply_async(args=[str(job.id)], queue="exports")
    return _job_view(job)


@router.get("/{job_id}")
def export_status(
    job_id: UUID,
    member: Member = Depends(current_member),
    session: Session = Depends(get_session),
):
    job = session.scalar(
        select(ExportJob).where(
            ExportJob.id == job_id,
            ExportJob.observatory_id == member.observatory_id,
            ExportJob.member_id == member.id,
        )
    )
    if job is None:
        raise HTTPException(404, "export not found")
    return _job_view(job)


@router.get("")
def my_exports(
    limit: int = Query(20, ge=1, le=100),
    member: Member = Depends(current_member),
    session: Session = Depends(get_session),
):
    jobs = session.scalars(
        select(ExportJob)
        .where(
            ExportJob.observatory_id == member.observatory_id,
            ExportJob.member_id == member.id,
        )
        .order_by(ExportJob.created_at.desc())
        .limit(limit)
    )
    return [_job_view(j) for j in jobs]
