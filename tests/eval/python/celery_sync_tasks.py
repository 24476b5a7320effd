"""Background jobs that keep the CRM in sync with billing."""
import logging

import requests
from celery import shared_task
from sqlalchemy import text

from .db import SessionLocal

log = logging.getLogger(__name__)

CRM_URL = "https://crm.example.com/api/v2"


@shared_task(bind=True, autoretry_for=(requests.ConnectionError,), retry_backoff=True,
             retry_jitter=True, max_retries=6)
def push_invoice(self, invoice_id: int) -> None:
    with SessionLocal() as db:
        row = db.execute(
            text("SELECT id, customer_id, total, currency FROM invoices WHERE id = :id"),
            {"id": invoice_id},
        ).one()
    resp = requests.post(
        f"{CRM_URL}/invoices",
        json={"external_id": row.id, "customer": row.customer_id, "total": str(row.total)},
        timeout=(3.05, 20),
    )
    resp.raise_for_status()


@shared_task
def refresh_customer(customer_id: int) -> None:
    resp = requests.get(f"{CRM_URL}/customers/{customer_id}")
    data = resp.json()
    with SessionLocal() as db:
        db.execute(
            text("UPDATE customers SET crm_segment = :seg, crm_synced_at = now() WHERE id = :id"),
            {"seg": data.get("segment"), "id": customer_id},
        )
        db.commit()


@shared_task
def record_usage(account_id: int, units: int) -> None:
    try:
        with SessionLocal() as db:
            db.execute(
                text("INSERT INTO usage_events (account_id, units) VALUES (:a, :u)"),
                {"a": account_id, "u": units},
            )
            db.commit()
    except Exception:
        pass


@shared_task
def nightly_reconcile() -> None:
    with SessionLocal() as db:
        try:
            db.execute(text("CALL reconcile_invoices()"))
            db.commit()
        except Exception:
            log.exception("reconcile failed")
            db.rollback()
            raise
