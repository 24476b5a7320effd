"""
CSV export of inspections for a carrier org.

Exports can cover hundreds of thousands of inspections, which won't fit inside the
gateway's 30 s limit, so the endpoint records a job, enqueues a Celery task and
returns 202 with a status URL. The client polls /exports/{id}.
"""
import csv
import io
import uuid

import httpx
from celery import shared_task
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import select

from .auth import Principal, get_principal
from .db import SessionLocal, get_db
from .models import ExportJob, Inspection, InspectionType, Org
from .storage import presign, upload_bytes

router = APIRouter(prefix="/exports")

# one client per worker process; timeouts apply to every request made with it
http = httpx.Client(timeout=httpx.Timeout(10.0, connect=3.0))


class ExportIn(BaseModel):
    inspection_type_id: int | None = None
    since: str | None = None


@router.post("", status_code=202)
def start_export(body: ExportIn, db=Depends(get_db), who: Principal = Depends(get_principal)):
    if body.inspection_type_id is not None and db.get(InspectionType, body.inspection_type_id) is None:
        raise HTTPException(422, "unknown inspection type")  # global lookup table, no org column
    job = ExportJob(id=uuid.uuid4(), org_id=who.org_id, requested_by=who.user_id,
                    status="queued", params=body.model_dump())
    db.add(job)
    db.commit()
    build_export.delay(str(job.id), who.org_id)
    return {"job_id": str(job.id), "status_url": f"/exports/{job.id}"}


@router.get("/{job_id}")
def export_status(job_id: uuid.UUID, db=Depends(get_db), who: Principal = Depends(get_principal)):
    job = db.scalars(select(ExportJob).where(ExportJob.id == job_id, ExportJob.org_id == who.org_id)).first()
    if job is None:
        raise HTTPException(404)
    out = {"status": job.status}
    if job.status == "done":
        out["download_url"] = presign(job.s3_key)
    return out


@shared_task(bind=True, acks_late=True, autoretry_for=(httpx.TransportError,),
             retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=5)
def build_export(self, job_id: str, org_id: int):
    with SessionLocal() as db:
        job = db.scalars(select(ExportJob).where(ExportJob.id == job_id, ExportJob.org_id == org_id)).one()
        job.status = "running"
        db.commit()

        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["id", "policy_no", "address", "status", "scheduled_for", "completed_at"])
        stmt = select(Inspection).where(Inspection.org_id == org_id).order_by(Inspection.id)
        if job.params.get("inspection_type_id"):
            stmt = stmt.where(Inspection.type_id == job.params["inspection_type_id"])
        for insp in db.scalars(stmt.execution_options(yield_per=2000)):
            writer.writerow([insp.id, insp.policy_no, insp.address, insp.status,
                             insp.scheduled_for, insp.completed_at])

        job.s3_key = upload_bytes(f"{org_id}/exports/{job_id}.csv", buf.getvalue().encode())
        job.status = "done"
        db.commit()

        org = db.get(Org, org_id)
        if org.export_webhook_url:
            http.post(org.export_webhook_url, json={"job_id": job_id, "status": "done"}).raise_for_status()
