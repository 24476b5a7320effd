# guildshow/exports.py -- judges' score sheets for a quilt show as one PDF bundle.
# Rendering ~600 entries takes several minutes, so the request only queues the work.
import io
import logging
import zipfile

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from celery import shared_task
from flask import Blueprint, abort, jsonify, url_for
from flask_login import current_user, login_required

from .models import Entry, ExportJob, db
from .pdf import render_score_sheet

bp = Blueprint("exports", __name__)
log = logging.getLogger(__name__)

s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3}))
BUCKET = "guildshow-exports"


@bp.post("/shows/<int:show_id>/score-sheets")
@login_required
def request_score_sheets(show_id):
    if not current_user.is_show_secretary(show_id):
        abort(403)
    job = ExportJob(show_id=show_id, requested_by=current_user.id, status="queued")
    db.session.add(job)
    db.session.commit()
    build_score_sheets.delay(job.id)
    return jsonify(job_id=job.id), 202, {"Location": url_for("exports.job_status", job_id=job.id)}


@bp.get("/exports/<int:job_id>")
@login_required
def job_status(job_id):
    job = ExportJob.query.filter_by(id=job_id, requested_by=current_user.id).first_or_404()
    body = {"status": job.status}
    if job.status == "done":
        body["download_url"] = s3.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": job.s3_key}, ExpiresIn=900
        )
    return jsonify(body)


@shared_task(
    bind=True,
    autoretry_for=(ClientError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def build_score_sheets(self, job_id):
    job = db.session.get(ExportJob, job_id)
    job.status = "running"
    db.session.commit()
    try:
        entries = (
            Entry.query.filter_by(show_id=job.show_id)
            .options(db.joinedload(Entry.quilt), db.selectinload(Entry.scores))
            .order_by(Entry.category, Entry.number)
            .all()
        )
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for entry in entries:
                zf.writestr(f"{entry.category}/{entry.number:04d}.pdf", render_score_sheet(entry))
        key = f"shows/{job.show_id}/score-sheets-{job.id}.zip"
        s3.put_object(Bucket=BUCKET, Key=key, Body=buf.getvalue())
    except Exception:
        log.exception("score sheet export %s failed", job_id)
        job.status = "failed"
        db.session.commit()
        raise
    job.status = "done"
    job.s3_key = key
    db.session.commit()
