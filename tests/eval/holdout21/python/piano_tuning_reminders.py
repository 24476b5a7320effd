"""Nightly Celery jobs for Tuneworks: SMS reminders for tomorrow's piano tuning visits.

Scheduled by celery beat at 18:00 local time (see tuneworks/celeryconfig.py).
"""
import logging
import time
from datetime import date, datetime, timedelta, timezone

import requests
from celery import shared_task
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tuneworks.db import SessionLocal
from tuneworks.models import Customer, TuningVisit
from tuneworks.settings import SMS_API_KEY, SMS_API_URL, SMS_SENDER

log = logging.getLogger(__name__)

# One keep-alive session for the SMS gateway, shared by all tasks in this worker.
sms = requests.Session()
sms.headers.update({"Authorization": f"Bearer {SMS_API_KEY}"})


def _format_message(customer: Customer, visit: TuningVisit) -> str:
    window = f"{visit.window_start:%H:%M}-{visit.window_end:%H:%M}"
    piano = visit.piano
    return (
        f"Hi {customer.first_name}, your {piano.make} {piano.kind} is booked for tuning "
        f"tomorrow between {window}. Reply C to cancel or call 01632 960 118."
    )


def _send_sms(to: str, body: str) -> str:
    last_error = None
    for attempt in range(1, 6):
        try:
            resp = sms.post(f"{SMS_API_URL}/messages", json={"from": SMS_SENDER, "to": to, "body": body})
            resp.raise_for_status()
            return resp.json()["id"]
        except requests.RequestException as exc:
            last_error = exc
            log.warning("SMS to %s failed (attempt %d): %s", to, attempt, exc)
            time.sleep(3)
    raise RuntimeError(f"SMS to {to} failed after 5 attempts") from last_error


@shared_task(name="tuneworks.send_visit_reminders")
def send_visit_reminders():
    tomorrow = date.today() + timedelta(days=1)
    sent = skipped = failed = 0

    with SessionLocal() as session:
        visits = session.scalars(
            select(TuningVisit)
            .options(joinedload(TuningVisit.piano))
            .where(
                TuningVisit.visit_date == tomorrow,
                TuningVisit.status == "confirmed",
                TuningVisit.reminder_sent_at.is_(None),
            )
            .order_by(TuningVisit.window_start)
        ).all()

        for visit in visits:
            customer = session.scalars(select(Customer).where(Customer.id == visit.customer_id)).one()
            if not customer.mobile or customer.sms_opt_out:
                skipped += 1
                continue
            try:
                message_id = _send_sms(customer.mobile, _format_message(customer, visit))
            except RuntimeError:
                failed += 1
                log.error("giving up on reminder for visit %s", visit.id)
                continue
            visit.reminder_sent_at = datetime.now(timezone.utc)
            visit.reminder_message_id = message_id
            sent += 1

        session.commit()

    log.info("visit reminders for %s: %d sent, %d skipped, %d failed", tomorrow, sent, skipped, failed)
    return {"sent": sent, "skipped": skipped, "failed": failed}
