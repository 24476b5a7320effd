"""Recall reminder tasks (clinic-scoped).

beat schedule (celeryconfig.py):
    dispatch-recalls   -> dispatch_all_clinics   daily 07:30
    purge-recall-links -> purge_expired_recall_links   daily 03:10
"""
import logging
import secrets
from datetime import date, datetime, timedelta, timezone

import requests
from celery import group, shared_task
from sqlalchemy import delete, insert, select, update

from clinic.db import SessionLocal
from clinic.models import Clinic, Patient, RecallLink
from clinic.settings import SMS_API_KEY, SMS_GATEWAY_URL

log = logging.getLogger(__name__)

BOOKING_BASE = "https://book.smilewell.example/r/"
LINK_VALID_DAYS = 14
BATCH = 300

sms_http = requests.Session()
sms_http.headers["Authorization"] = f"Bearer {SMS_API_KEY}"


@shared_task
def dispatch_all_clinics() -> None:
    with SessionLocal() as session:
        clinic_ids = session.execute(
            select(Clinic.id).where(Clinic.active.is_(True)).order_by(Clinic.id).limit(1000)
        ).scalars().all()
    group(dispatch_recalls.s(cid) for cid in clinic_ids).apply_async()


@shared_task
def dispatch_recalls(clinic_id: int) -> int:
    horizon = date.today() + timedelta(days=14)
    expires = datetime.now(timezone.utc) + timedelta(days=LINK_VALID_DAYS)
    with SessionLocal() as session, session.begin():
        due = session.execute(
            select(Patient.id)
            .where(
                Patient.clinic_id == clinic_id,
                Patient.next_recall_on <= horizon,
                Patient.recall_sms_sent_at.is_(None),
                Patient.sms_opt_in.is_(True),
            )
            .order_by(Patient.next_recall_on)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        ).scalars().all()
        if not due:
            return 0
        links = [
            {"token": secrets.token_urlsafe(24), "patient_id": pid,
             "clinic_id": clinic_id, "expires_at": expires}
            for pid in due
        ]
        session.execute(insert(RecallLink), links)
        session.execute(
            update(Patient)
            .where(Patient.clinic_id == clinic_id, Patient.id.in_(due))
            .values(recall_sms_sent_at=datetime.now(timezone.utc))
        )
    group(send_recall_sms.s(clinic_id, l["patient_id"], l["token"]) for l in links).apply_async()
    return len(links)


@shared_task(
    autoretry_for=(requests.RequestException,),
    retry_backoff=5,          # 5s, 10s, 20s, ... exponential
    retry_backoff_max=900,    # never wait more than 15 minutes
    retry_jitter=True,
    max_retries=6,
)
def send_recall_sms(clinic_id: int, patient_id: int, token: str) -> None:
    with SessionLocal() as session:
        row = session.execute(
            select(Patient.first_name, Patient.mobile, Clinic.name)
            .join(Clinic, Clinic.id == Patient.clinic_id)
            .where(Patient.clinic_id == clinic_id, Patient.id == patient_id)
        ).one()
    body = (
        f"Hi {row.first_name}, your check-up at {row.name} is due. "
        f"Book a time that suits you: {BOOKING_BASE}{token}"
    )
    resp = sms_http.post(
        SMS_GATEWAY_URL,
        json={"to": row.mobile, "body": body, "sender": "SmileWell"},
        timeout=(3, 10),
    )
    resp.raise_for_status()


@shared_task
def purge_expired_recall_links() -> int:
    """Expired booking links are useless; delete them in small batches."""
    cutoff = datetime.now(timezone.utc) - timedelta(days=7)
    removed = 0
    while True:
        with SessionLocal() as session, session.begin():
            ids = select(RecallLink.id).where(RecallLink.expires_at < cutoff).limit(5000)
            result = session.execute(delete(RecallLink).where(RecallLink.id.in_(ids.scalar_subquery())))
        removed += result.rowcount
        if result.rowcount < 5000:
            break
    log.info("purged %d expired recall links", removed)
    return removed
