# exports/jobs.py -- CSV exports + usage page for the SaaS admin console
# web: gunicorn -w 4 (3 replicas); worker: celery -A app.celery worker -Q exports
import csv
import io
import logging
import uuid

import boto3
import requests
from botocore.config import Config
from celery import shared_task
from flask import Blueprint, g, jsonify, request
from sqlalchemy import select
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from app.auth import require_org_admin
from app.extensions import db
from app.models import DailyUsageRollup, ExportJob, Order

log = logging.getLogger(__name__)
bp = Blueprint("exports", __name__, url_prefix="/api/exports")

s3 = boto3.client("s3", config=Config(connect_timeout=3, read_timeout=30, retries={"max_attempts": 4, "mode": "standard"}))
http = requests.Session()


@bp.post("")
@require_org_admin
def start_export():
    job = ExportJob(id=uuid.uuid4(), org_id=g.org_id, kind="orders", status="queued",
                    callback_url=(request.json or {}).get("callback_url"))
    db.session.add(job)
    db.session.commit()
    build_orders_export.delay(str(job.id))
    return jsonify(id=str(job.id), status=job.status), 202


@bp.get("/<uuid:job_id>")
@require_org_admin
def export_status(job_id):
    job = db.session.scalar(select(ExportJob).where(ExportJob.id == job_id, ExportJob.org_id == g.org_id))
    if job is None:
        return jsonify(error="not found"), 404
    return jsonify(id=str(job.id), status=job.status, download_url=job.download_url)


@bp.get("/usage")
@require_org_admin
def usage():
    # pre-aggregated nightly by the rollup job; at most 90 small rows per org
    rows = db.session.scalars(
        select(DailyUsageRollup)
        .where(DailyUsageRollup.org_id == g.org_id)
        .order_by(DailyUsageRollup.day.desc())
        .limit(90)
    ).all()
    return jsonify([{"day": r.day.isoformat(), "api_calls": r.api_calls, "seats": r.active_seats} for r in rows])


@shared_task(bind=True, acks_late=True, max_retries=3, retry_backoff=True, retry_jitter=True)
def build_orders_export(self, job_id: str):
    job = db.session.get(ExportJob, uuid.UUID(job_id))
    job.status = "running"
    db.session.commit()
    try:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["order_id", "created_at", "customer_email", "total"])
        stmt = (select(Order.id, Order.created_at, Order.customer_email, Order.total)
                .where(Order.org_id == job.org_id).order_by(Order.id)
                .execution_options(yield_per=2000))
        for row in db.session.execute(stmt):
            w.writerow(row)
        key = f"exports/{job.org_id}/{job.id}.csv"
        s3.put_object(Bucket="acme-exports", Key=key, Body=buf.getvalue().encode(), ContentType="text/csv")
        job.download_url = s3.generate_presigned_url("get_object", Params={"Bucket": "acme-exports", "Key": key}, ExpiresIn=3600)
        job.status = "done"
        db.session.commit()
    except Exception:
        log.exception("export %s failed", job_id)
        db.session.rollback()
        job.status = "failed"
        db.session.commit()
        raise
    if job.callback_url:
        notify_customer(job.callback_url, {"id": job_id, "status": "done", "download_url": job.download_url})


@retry(
    retry=retry_if_exception_type((requests.ConnectionError, requests.Timeout)),
    wait=wait_random_exponential(multiplier=1, max=60),
    stop=stop_after_attempt(6),
    reraise=True,
)
def notify_customer(url: str, payload: dict) -> None:
    resp = http.post(url, json=payload, timeout=(3.05, 10))
    resp.raise_for_status()
