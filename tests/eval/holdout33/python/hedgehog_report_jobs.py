"""Annual-return exports for the hedgehog rescue network, done in the background.

Several rescue centres share this admin site; every query is scoped to the
volunteer's own centre. POST starts a Celery job and returns 202; the page
polls the status URL and shows a download link when the PDF is ready.
"""
import logging
import uuid

import boto3
from botocore.config import Config
from celery import shared_task
from flask import Blueprint, abort, g, jsonify, request, url_for
from sqlalchemy import text

from .auth import admin_required
from .db import engine
from .pdf import render_annual_return
from .settings import REPORT_BUCKET

log = logging.getLogger(__name__)
bp = Blueprint("report_jobs", __name__)

s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=60, retries={"mode": "standard"}))


@bp.post("/exports/annual-return")
@admin_required
def start_annual_return():
    year = int(request.form["year"])
    job_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO report_jobs (id, centre_id, kind, params, status, requested_by) "
                "VALUES (:id, :centre, 'annual_return', jsonb_build_object('year', :year), 'queued', :user)"
            ),
            {"id": job_id, "centre": g.centre_id, "year": year, "user": g.user.id},
        )
    build_annual_return.delay(job_id, g.centre_id, year)
    return (
        jsonify(job_id=job_id, status_url=url_for("report_jobs.job_status", job_id=job_id)),
        202,
    )


@bp.get("/exports/jobs/<job_id>")
@admin_required
def job_status(job_id: str):
    with engine.connect() as conn:
        job = conn.execute(
            text("SELECT status, result_key, error FROM report_jobs WHERE id = :id AND centre_id = :centre"),
            {"id": job_id, "centre": g.centre_id},
        ).mappings().first()
    if job is None:
        abort(404)
    body = {"status": job["status"]}
    if job["status"] == "done":
        body["download_url"] = s3.generate_presigned_url(
            "get_object", Params={"Bucket": REPORT_BUCKET, "Key": job["result_key"]}, ExpiresIn=900
        )
    elif job["status"] == "failed":
        body["error"] = job["error"]
    return jsonify(body)


@shared_task(bind=True, acks_late=True, max_retries=0)
def build_annual_return(self, job_id: str, centre_id: int, year: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE report_jobs SET status = 'running' WHERE id = :id AND centre_id = :centre"),
            {"id": job_id, "centre": centre_id},
        )
    try:
        pdf_bytes = render_annual_return(centre_id=centre_id, year=year)
        key = f"annual-returns/{centre_id}/{year}/{job_id}.pdf"
        s3.put_object(Bucket=REPORT_BUCKET, Key=key, Body=pdf_bytes, ContentType="application/pdf")
    except Exception as exc:
        log.exception("annual return %s for centre %s failed", job_id, centre_id)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE report_jobs SET status = 'failed', error = :err "
                    "WHERE id = :id AND centre_id = :centre"
                ),
                {"id": job_id, "centre": centre_id, "err": str(exc)[:500]},
            )
        raise
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE report_jobs SET status = 'done', result_key = :key, finished_at = now() "
                "WHERE id = :id AND centre_id = :centre"
            ),
            {"id": job_id, "centre": centre_id, "key": key},
        )
