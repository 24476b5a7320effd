"""Proof packs for the parish magazine, built in the background.

The editor asks for a proof pack; the request returns 202 straight away with a job id,
the Celery worker renders every advert's PDF proof, and the page polls the job until
the zip is ready to download.
"""
import io
import logging
import zipfile

import requests
from celery import shared_task
from flask import Blueprint, abort, jsonify, url_for
from flask_login import login_required
from weasyprint import HTML

from .db import db
from .models import Advert, Issue, ProofJob
from .rendering import render_proof_html
from .storage import save_private_file

log = logging.getLogger(__name__)
bp = Blueprint("proofs", __name__)

EDITOR_NOTIFY_URL = "https://hooks.parish-office.example.org/notify"


@bp.post("/issues/<int:issue_id>/proof-pack")
@login_required
def request_proof_pack(issue_id: int):
    issue = db.session.get(Issue, issue_id)
    if issue is None:
        abort(404)
    job = ProofJob(issue_id=issue.id, status="queued")
    db.session.add(job)
    db.session.commit()
    build_proof_pack.delay(job.id)
    return jsonify(job_id=job.id, status_url=url_for("proofs.job_status", job_id=job.id)), 202


@bp.get("/proof-jobs/<int:job_id>")
@login_required
def job_status(job_id: int):
    job = db.session.get(ProofJob, job_id)
    if job is None:
        abort(404)
    return jsonify(status=job.status, adverts_done=job.adverts_done, download_url=job.download_url)


@shared_task(
    bind=True,
    autoretry_for=(requests.ConnectionError, requests.Timeout),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def build_proof_pack(self, job_id: int) -> None:
    job = db.session.get(ProofJob, job_id)
    job.status = "running"
    db.session.commit()
    try:
        adverts = (
            Advert.query.filter_by(issue_id=job.issue_id)
            .options(db.joinedload(Advert.advertiser))
            .order_by(Advert.page_number)
            .all()
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
            for n, advert in enumerate(adverts, start=1):
                pdf_bytes = HTML(string=render_proof_html(advert)).write_pdf()
                pack.writestr(f"{advert.advertiser.slug}.pdf", pdf_bytes)
                if n % 10 == 0:
                    job.adverts_done = n
                    db.session.commit()
        job.download_url = save_private_file(f"proofs/job-{job.id}.zip", buffer.getvalue())
        job.adverts_done = len(adverts)
        job.status = "ready"
        db.session.commit()
    except Exception:
        log.exception("proof pack job %s failed", job_id)
        db.session.rollback()
        job.status = "failed"
        db.session.commit()
        raise

    resp = requests.post(
        EDITOR_NOTIFY_URL,
        json={"text": f"Proof pack for issue {job.issue_id} is ready"},
        timeout=(3, 10),
    )
    resp.raise_for_status()
