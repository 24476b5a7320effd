"""Vibration-monitoring export for the planning authority.

After each blast the council may ask for every seismograph reading in a date
range (often a few million rows). Building the CSV takes minutes, so the
request only records a job and returns 202; a Celery worker does the work and
the officer's browser polls the status URL.
"""
import csv
import io
import uuid
from datetime import date

from celery import shared_task
from flask import Blueprint, abort, g, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from quarry.db import Session
from quarry.models import ExportJob, SeismographReading
from quarry.storage import save_export

bp = Blueprint("exports", __name__)


@bp.post("/exports/vibration")
def request_export():
    body = request.get_json(force=True)
    start, end = date.fromisoformat(body["from"]), date.fromisoformat(body["to"])
    if end < start or (end - start).days > 366:
        abort(400, "date range must be at most one year")

    job = ExportJob(id=uuid.uuid4().hex, requested_by=g.officer.id,
                    range_start=start, range_end=end, status="queued")
    with Session() as session:
        session.add(job)
        session.commit()

    build_vibration_export.delay(job.id)
    return jsonify(job_id=job.id, status_url=url_for("exports.export_status", job_id=job.id)), 202


@bp.get("/exports/<job_id>")
def export_status(job_id: str):
    with Session() as session:
        job = session.scalar(
            select(ExportJob).where(ExportJob.id == job_id, ExportJob.requested_by == g.officer.id)
        )
    if job is None:
        abort(404)
    return jsonify(status=job.status, download_url=job.download_url, error=job.error)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,          # 5 s, 10 s, 20 s ... (exponential)
    retry_backoff_max=600,    # never wait more than 10 minutes
    retry_jitter=True,
    max_retries=6,
)
def build_vibration_export(self, job_id: str) -> None:
    with Session() as session:
        job = session.get(ExportJob, job_id)
        job.status = "running"
        session.commit()

        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["station", "recorded_at", "ppv_mm_s", "frequency_hz", "air_overpressure_db"])
        stmt = (
            select(SeismographReading.station_code, SeismographReading.recorded_at,
                   SeismographReading.ppv_mm_s, SeismographReading.frequency_hz,
                   SeismographReading.air_overpressure_db)
            .where(SeismographReading.recorded_at >= job.range_start,
                   SeismographReading.recorded_at < job.range_end)
            .order_by(SeismographReading.recorded_at)
            .execution_options(yield_per=5000)
        )
        for row in session.execute(stmt):
            writer.writerow(row)

        job.download_url = save_export(f"vibration/{job_id}.csv", buf.getvalue())
        job.status = "done"
        session.commit()
