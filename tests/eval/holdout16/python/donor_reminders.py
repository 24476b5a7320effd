"""
donors/tasks.py -- nightly "you can donate again" reminders.

Scheduled by Celery beat at 02:00. Walks eligible donors in keyset pages of
1000, skips anyone reminded in the last 30 days, and sends each page through
the SMS gateway's batch endpoint in a single request.
"""
import logging
from datetime import date, timedelta

import httpx
from celery import shared_task
from sqlalchemy import select

from donors.db import SessionLocal
from donors.models import Donor, ReminderLog
from donors.settings import settings

log = logging.getLogger(__name__)

PAGE = 1000
WHOLE_BLOOD_INTERVAL = timedelta(days=56)
REMIND_EVERY = timedelta(days=30)

_sms = httpx.Client(
    base_url=settings.SMS_GATEWAY_URL,
    timeout=httpx.Timeout(15.0, connect=3.0),
    headers={"Authorization": f"Bearer {settings.SMS_TOKEN}"},
)


def _eligible_page(session, after_id: int) -> list[Donor]:
    cutoff = date.today() - WHOLE_BLOOD_INTERVAL
    return session.scalars(
        select(Donor)
        .where(Donor.id > after_id, Donor.sms_opt_in.is_(True), Donor.last_donation_on <= cutoff)
        .order_by(Donor.id)
        .limit(PAGE)
    ).all()


def _recently_reminded(session, donor_ids: list[int]) -> set[int]:
    since = date.today() - REMIND_EVERY
    return set(session.scalars(
        select(ReminderLog.donor_id).where(
            ReminderLog.donor_id.in_(donor_ids),
            ReminderLog.kind == "eligible",
            ReminderLog.sent_on >= since,
        )
    ))


@shared_task(
    bind=True,
    autoretry_for=(httpx.TransportError,),
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=4,
)
def send_eligibility_reminders(self) -> int:
    sent = 0
    last_id = 0
    with SessionLocal() as session:
        while True:
            donors = _eligible_page(session, last_id)
            if not donors:
                break
            last_id = donors[-1].id
            skip = _recently_reminded(session, [d.id for d in donors])
            batch = [d for d in donors if d.id not in skip]
            if not batch:
                continue

            messages = [
                {"to": d.phone, "template": "eligible-again", "vars": {"first_name": d.first_name}}
                for d in batch
            ]
            try:
                resp = _sms.post("/messages/batch", json={"messages": messages})
                resp.raise_for_status()
            except httpx.HTTPError:
                log.exception("SMS batch failed (page ending at donor %s)", last_id)
                raise

            session.add_all(ReminderLog(donor_id=d.id, kind="eligible", sent_on=date.today()) for d in batch)
            session.commit()
            sent += len(batch)

    log.info("eligibility reminders sent: %d", sent)
    return sent
