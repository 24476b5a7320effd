"""Background pre-translation for the agency portal.

The HTTP endpoint only stores the upload and enqueues a Celery job (202);
the worker calls the MT vendor with a shared, timeout-configured client and
retries with capped exponential backoff + jitter.
"""
import logging
import random
import time

import httpx
from celery import Celery
from fastapi import APIRouter, Depends, UploadFile, status

from app.deps import current_client_account
from app.storage import save_upload, load_segments, store_result
from app.jobs import create_job, set_job_status

log = logging.getLogger(__name__)
celery_app = Celery("lingua", broker="redis://redis:6379/1")
router = APIRouter()

mt_client = httpx.Client(
    base_url="https://mt.vendor.example/v3",
    timeout=httpx.Timeout(30.0, connect=5.0),
)

MAX_ATTEMPTS = 5


class TransientMTError(Exception):
    pass


def call_mt(batch: list[str], lang: str) -> list[str]:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            r = mt_client.post("/translate", json={"segments": batch, "target": lang})
            if r.status_code in (429, 502, 503):
                raise TransientMTError(r.status_code)
            r.raise_for_status()
            return r.json()["translations"]
        except (httpx.TransportError, TransientMTError) as exc:
            if attempt == MAX_ATTEMPTS:
                log.error("MT failed after %d attempts: %s", attempt, exc)
                raise
            delay = min(60, 2 ** attempt) + random.uniform(0, 1)
            log.warning("MT attempt %d failed (%s), retrying in %.1fs", attempt, exc, delay)
            time.sleep(delay)


@celery_app.task(acks_late=True)
def pretranslate(job_id: str, lang: str) -> None:
    set_job_status(job_id, "running")
    segments = load_segments(job_id)
    out: list[str] = []
    for start in range(0, len(segments), 200):
        out.extend(call_mt(segments[start : start + 200], lang))
    store_result(job_id, out)
    set_job_status(job_id, "done")


@router.post("/documents/pretranslate", status_code=status.HTTP_202_ACCEPTED)
def submit(file: UploadFile, target_lang: str, account=Depends(current_client_account)):
    job_id = create_job(account.id, file.filename)  # row in translation_jobs table
    save_upload(job_id, file.file)
    pretranslate.delay(job_id, target_lang)
    return {"job_id": job_id, "status_url": f"/documents/jobs/{job_id}"}
