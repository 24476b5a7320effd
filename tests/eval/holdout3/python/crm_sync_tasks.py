import logging
import time
from datetime import datetime, timezone

import requests
from celery import shared_task
from sqlalchemy import select

from app.db import SessionLocal
from app.models import Account, Contact, SyncCursor
from app.settings import CRM_BASE_URL, CRM_TOKEN

log = logging.getLogger(__name__)

BATCH_SIZE = 100


def _post_batch(contacts):
    # CRM rate limits us now and then, just keep trying until it goes through
    while True:
        try:
            resp = requests.post(
                f"{CRM_BASE_URL}/v2/contacts/batch_upsert",
                json={"contacts": contacts},
                headers={"Authorization": f"Bearer {CRM_TOKEN}"},
            )
        except requests.ConnectionError as exc:
            log.warning("crm unreachable (%s), retrying", exc)
            time.sleep(1)
            continue
        if resp.status_code == 429 or resp.status_code >= 500:
            log.warning("crm returned %s, retrying", resp.status_code)
            time.sleep(1)
            continue
        resp.raise_for_status()
        return resp.json()


def _to_crm(contact, account):
    return {
        "external_id": str(contact.id),
        "email": contact.email,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company": account.name,
        "plan": account.plan,
        "mrr": account.mrr_cents / 100,
    }


@shared_task(name="crm.sync_contacts", acks_late=True)
def sync_contacts():
    started = datetime.now(timezone.utc)
    with SessionLocal() as session:
        cursor = session.get(SyncCursor, "crm_contacts")
        contacts = session.scalars(
            select(Contact)
            .where(Contact.updated_at >= cursor.last_synced_at)
            .order_by(Contact.id)
        ).all()

        batch = []
        for contact in contacts:
            account = session.execute(
                select(Account).where(Account.id == contact.account_id)
            ).scalar_one()
            batch.append(_to_crm(contact, account))
            if len(batch) >= BATCH_SIZE:
                _post_batch(batch)
                batch = []
        if batch:
            _post_batch(batch)

        cursor.last_synced_at = started
        session.commit()
    log.info("crm sync done: %d contacts", len(contacts))
