"""
Async episode processing.

The upload endpoint only stores the original file and enqueues a Celery job; it answers
202 with a job id and the dashboard polls /jobs/<id>. Job state lives in Postgres so any
web worker (we run 4 per pod, 3 pods) can answer the poll.
"""
import logging
import os
import subprocess
import tempfile
import uuid

import boto3
import requests
from celery import shared_task
from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required

from .extensions import db
from .models import Episode, ProcessingJob, Show

log = logging.getLogger(__name__)
bp = Blueprint("processing", __name__)
s3 = boto3.client("s3")
MEDIA_BUCKET = os.environ["MEDIA_BUCKET"]
CDN_PURGE_URL = os.environ["CDN_PURGE_URL"]
http = requests.Session()


@bp.route("/shows/<int:show_id>/uploads", methods=["POST"])
@login_required
def start_upload(show_id):
    show = Show.query.filter_by(id=show_id, owner_id=current_user.id).first_or_404()
    f = request.files.get("audio") or abort(400)
    raw_key = f"raw/{show.id}/{uuid.uuid4().hex}"
    s3.upload_fileobj(f.stream, MEDIA_BUCKET, raw_key)

    job = ProcessingJob(show_id=show.id, raw_key=raw_key, title=request.form["title"], state="queued")
    db.session.add(job)
    db.session.commit()
    transcode_episode.delay(job.id)
    return jsonify(job_id=job.id, status_url=f"/jobs/{job.id}"), 202


@bp.route("/jobs/<int:job_id>")
@login_required
def job_status(job_id):
    job = (ProcessingJob.query.join(Show)
           .filter(ProcessingJob.id == job_id, Show.owner_id == current_user.id)
           .first_or_404())
    return jsonify(state=job.state, episode_id=job.episode_id, error=job.error)


@shared_task(
    bind=True,
    autoretry_for=(subprocess.CalledProcessError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def transcode_episode(self, job_id: int):
    job = db.session.get(ProcessingJob, job_id)
    job.state = "running"
    db.session.commit()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            src, out = os.path.join(tmp, "src"), os.path.join(tmp, "out.mp3")
            s3.download_file(MEDIA_BUCKET, job.raw_key, src)
            subprocess.run(["ffmpeg", "-y", "-i", src, "-af", "loudnorm", "-ac", "1", "-b:a", "128k", out],
                           check=True, capture_output=True, timeout=1800)
            episode_id = uuid.uuid4().hex
            key = f"{job.show.slug}/{episode_id}.mp3"
            s3.upload_file(out, MEDIA_BUCKET, key, ExtraArgs={"ContentType": "audio/mpeg"})
            size = os.path.getsize(out)
        db.session.add(Episode(id=episode_id, show_id=job.show_id, title=job.title,
                               audio_key=key, audio_bytes=size))
        job.state, job.episode_id = "done", episode_id
        db.session.commit()
    except Exception as exc:
        log.exception("transcode job %s failed (attempt %s)", job_id, self.request.retries + 1)
        db.session.rollback()
        job.state, job.error = "failed", str(exc)[:500]
        db.session.commit()
        raise
    purge_feed.delay(job.show.slug)


@shared_task(autoretry_for=(requests.RequestException,), retry_backoff=2, retry_backoff_max=120,
             retry_jitter=True, max_retries=8)
def purge_feed(slug: str):
    http.post(CDN_PURGE_URL, json={"paths": [f"/shows/{slug}/feed.xml"]}, timeout=(3, 10)).raise_for_status()
