"""Recall reminders for the dental clinics.

Every morning celery beat runs `dispatch_recalls` once per clinic. Patients
whose six-monthly check-up is due in the next two weeks get an SMS with a
one-click booking link.
"""
import logging
import secrets
import time
from datetime import date, datetime, timedelta, timezone

import requests
from celery import shared_task
from sqlalchemy import insert, select, update

from clinic.db import SessionLocal
from clinic.models import Patient, RecallLink

log = logging.getLogger(__name__)

SMS_GATEWAY_URL = "https://api.smsrelay.example/v1/messages"
SMS_API_KEY = "set-in-env"
BOOKING_BASE = "https://book.smilewell.example/r/"
LINK_VALID_DAYS = 14
BATCH = 300


class SmsDeliveryError(RuntimeError):
    pass


def _send_sms(phone: str, body: str) -> None:
    last_status = None
    for attempt in range(5):
        try:
            resp = requests.post(
                SMS_GATEWAY_URL,
                json={"to": phone, "body": body, "sender": "SmileWell"},
                headers={"Authorization": f"Bearer {SMS_API_KEY}"},
                timeout=10,
            )
            if resp.status_code in (200, 202):
                return
            last_status = resp.status_code
        except requests.RequestException as exc:
            log.warning("sms attempt %d to %s failed: %s", attempt + 1, phone[-4:], exc)
        time.sleep(1)
    raise SmsDeliveryError(f"gateway kept failing (last status {last_status})")


@shared_task
def dispatch_recalls(clinic_id: int) -> int:
    horizon = date.today() + timedelta(days=14)
    with SessionLocal() as session:
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
        ).scalars().all()

        expires = datetime.now(timezone.utc) + timedelta(days=LINK_VALID_DAYS)
        links = [
            {"token": secrets.token_urlsafe(24), "patient_id": pid,
             "clinic_id": clinic_id, "expires_at": expires}
            for pid in due
        ]
        if links:
            session.execute(insert(RecallLink), links)
            session.execute(
                update(Patient)
                .where(Patient.clinic_id == clinic_id, Patient.id.in_(due))
                .values(recall_sms_sent_at=datetime.now(timezone.utc))
            )
            session.commit()

    for link in links:
        send_recall_sms.delay(clinic_id, link["patient_id"], link["token"])
    return len(links)


@shared_task
def send_recall_sms(clinic_id: int, patient_id: int, token: str) -> None:
    with SessionLocal() as session:
        patient = session.execute(
            select(Patient).where(Patient.clinic_id == clinic_id, Patient.id == patient_id)
        ).scalar_one()
        body = (
            f"Hi {patient.first_name}, your check-up at {patient.clinic.name} is due. "
            f"Book a time that suits you: {BOOKING_BASE}{token} (valid {LINK_VALID_DAYS} days)"
        )
    _send_sms(patient.mobile, body)
