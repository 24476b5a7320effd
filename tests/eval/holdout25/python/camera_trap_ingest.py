"""Wildlife camera-trap uploads.

Rangers upload an SD-card dump (a zip of a few thousand JPEGs). Classifying
the frames takes minutes, so the request only stores the archive and queues a
Celery job; the app polls the status endpoint.
"""
import logging
import uuid

import boto3
from botocore.config import Config
from celery import Celery
from flask import Blueprint, jsonify, request, abort, g

from .db import db
from .models import TrapUpload
from .classifier import classify_archive

log = logging.getLogger(__name__)
bp = Blueprint("uploads", __name__)
celery = Celery("traps", broker="redis://redis:6379/5")
s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=60,
                                      retries={"max_attempts": 3,
                                               "mode": "standard"}))
BUCKET = "camera-trap-raw"


@bp.post("/projects/<int:project_id>/uploads")
def create_upload(project_id):
    if project_id not in g.user.project_ids:
        abort(403)
    archive = request.files.get("archive")
    if archive is None:
        abort(400, "archive missing")

    upload_id = str(uuid.uuid4())
    key = f"{project_id}/{upload_id}.zip"
    s3.upload_fileobj(archive.stream, BUCKET, key)

    upload = TrapUpload(id=upload_id, project_id=project_id,
                        trap_id=request.form["trap_id"], s3_key=key,
                        status="queued")
    db.session.add(upload)
    db.session.commit()

    process_upload.delay(upload_id)
    return jsonify(id=upload_id, status="queued"), 202


@bp.get("/projects/<int:project_id>/uploads/<upload_id>")
def upload_status(project_id, upload_id):
    if project_id not in g.user.project_ids:
        abort(403)
    upload = TrapUpload.query.filter_by(id=upload_id,
                                        project_id=project_id).first_or_404()
    return jsonify(id=upload.id, status=upload.status,
                   frames=upload.frame_count, detections=upload.detection_count)


@celery.task(bind=True, autoretry_for=(ConnectionError, TimeoutError),
             retry_backoff=True, retry_backoff_max=600, retry_jitter=True,
             max_retries=5, acks_late=True)
def process_upload(self, upload_id):
    # Claim the job atomically so a redelivered message can't run it twice.
    claimed = (TrapUpload.query
               .filter(TrapUpload.id == upload_id,
                       TrapUpload.status.in_(("queued", "failed")))
               .update({"status": "processing"}, synchronize_session=False))
    db.session.commit()
    if claimed == 0:
        return
    upload = db.session.get(TrapUpload, upload_id)
    try:
        result = classify_archive(BUCKET, upload.s3_key)
    except Exception:
        log.exception("classification failed for upload %s", upload_id)
        upload.status = "failed"
        db.session.commit()
        raise
    upload.frame_count = result.frames
    upload.detection_count = len(result.detections)
    upload.status = "done"
    db.session.commit()
