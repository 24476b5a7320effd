"""Observing-log exports for telescope time proposals.

An export of a proposal's observing log (every exposure with seeing, airmass
and guider stats) can take several minutes for long campaigns, so the API
queues it and the client polls for the result.
"""
import csv
import io
import json
import os
import uuid

import boto3
import redis
from botocore.config import Config
from celery import Celery
from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import create_engine, text

from .auth import current_observer

celery_app = Celery("exports", broker=os.environ["CELERY_BROKER_URL"])
engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, pool_pre_ping=True)
jobs = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2, decode_responses=True)
s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 5, "mode": "adaptive"}))

BUCKET = os.environ["EXPORT_BUCKET"]
JOB_TTL = 24 * 3600
BATCH = 2000

app = FastAPI(title="observing-log-exports")


@app.post("/proposals/{proposal_id}/exports", status_code=202)
def start_export(proposal_id: int, observer=Depends(current_observer)):
    with engine.connect() as conn:
        owns = conn.execute(
            text("SELECT 1 FROM proposals WHERE id = :p AND observer_id = :o"),
            {"p": proposal_id, "o": observer.id},
        ).first()
    if owns is None:
        raise HTTPException(404)
    job_id = uuid.uuid4().hex
    jobs.set(f"export:{job_id}", json.dumps({"status": "queued", "owner": observer.id}), ex=JOB_TTL)
    build_export.delay(job_id, proposal_id)
    return {"job_id": job_id, "status_url": f"/exports/{job_id}"}


@app.get("/exports/{job_id}")
def export_status(job_id: str, observer=Depends(current_observer)):
    raw = jobs.get(f"export:{job_id}")
    if raw is None:
        raise HTTPException(404)
    job = json.loads(raw)
    if job["owner"] != observer.id:
        raise HTTPException(404)
    if job["status"] == "done":
        job["download_url"] = s3.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": job["key"]}, ExpiresIn=900
        )
    return job


@celery_app.task(
    bind=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def build_export(self, job_id: str, proposal_id: int) -> None:
    key = f"export:{job_id}"
    job = json.loads(jobs.get(key) or "{}")
    jobs.set(key, json.dumps({**job, "status": "running"}), ex=JOB_TTL)

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["exposure_id", "target", "filter", "exp_s", "airmass", "seeing_arcsec", "guide_rms"])
    last_id = 0
    with engine.connect() as conn:
        while True:
            rows = conn.execute(
                text(
                    "SELECT id, target, filter_band, exposure_s, airmass, seeing, guide_rms "
                    "FROM exposures WHERE proposal_id = :p AND id > :after ORDER BY id LIMIT :n"
                ),
                {"p": proposal_id, "after": last_id, "n": BATCH},
            ).all()
            if not rows:
                break
            writer.writerows(rows)
            last_id = rows[-1].id

    object_key = f"exports/{proposal_id}/{job_id}.csv"
    s3.put_object(Bucket=BUCKET, Key=object_key, Body=buf.getvalue().encode(), ContentType="text/csv")
    jobs.set(key, json.dumps({**job, "status": "done", "key": object_key}), ex=JOB_TTL)
