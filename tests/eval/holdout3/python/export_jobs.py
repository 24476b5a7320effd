"""
CSV exports: the API only records the request and returns 202; a Celery
worker builds the file and uploads it to S3. Job state lives in Postgres.
"""
import csv
import io
import logging

import boto3
from botocore.config import Config
from celery import Celery
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from exports.auth import CurrentUser, current_user
from exports.db import SessionLocal, get_session
from exports.models import ExportJob, Order

log = logging.getLogger(__name__)

celery_app = Celery("exports", broker="redis://redis:6379/1")
s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3}))
api = FastAPI()

BUCKET = "acme-exports"


class ExportRequest(BaseModel):
    status: str | None = None


@api.post("/exports", status_code=202)
def request_export(body: ExportRequest, user: CurrentUser = Depends(current_user),
                   db: Session = Depends(get_session)):
    job = ExportJob(org_id=user.org_id, requested_by=user.id, status="queued", params=body.model_dump())
    db.add(job)
    db.commit()
    build_export.delay(job.id)
    return {"job_id": job.id, "status_url": f"/exports/{job.id}"}


@api.get("/exports/{job_id}")
def export_status(job_id: int, user: CurrentUser = Depends(current_user),
                  db: Session = Depends(get_session)):
    job = db.scalar(select(ExportJob).where(ExportJob.id == job_id, ExportJob.org_id == user.org_id))
    if job is None:
        raise HTTPException(404)
    return {"status": job.status, "file": job.s3_key if job.status == "done" else None}


@celery_app.task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=2,          # 2s, 4s, 8s ...
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def build_export(self, job_id: int):
    with SessionLocal() as db:
        job = db.get(ExportJob, job_id)  # id comes from our own enqueue above
        job.status = "running"
        db.commit()

        stmt = select(Order.id, Order.created_at, Order.status, Order.total_cents).where(
            Order.org_id == job.org_id
        )
        if job.params.get("status"):
            stmt = stmt.where(Order.status == job.params["status"])

        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["id", "created_at", "status", "total"])
        for part in db.execute(stmt.execution_options(yield_per=5000)).partitions():
            writer.writerows((o.id, o.created_at.isoformat(), o.status, o.total_cents / 100) for o in part)

        key = f"{job.org_id}/export-{job.id}.csv"
        s3.put_object(Bucket=BUCKET, Key=key, Body=buf.getvalue().encode())
        job.status, job.s3_key = "done", key
        db.commit()
    log.info("export %s finished", job_id)
