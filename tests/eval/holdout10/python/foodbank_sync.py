# tasks.py - nightly sync between our warehouse DB and the regional food bank network
import logging
import time
from datetime import date, timedelta

import requests
from celery import shared_task
from sqlalchemy.orm import Session

from .db import SessionLocal
from .models import Agency, Donation, Donor, StockItem

log = logging.getLogger(__name__)

NETWORK_API = "https://network.regionalfoodbanks.example/api/v1"
API_TOKEN = "see settings"  # overwritten from settings at import in celery.py


def _headers():
    return {"Authorization": f"Token {API_TOKEN}"}


def push_manifest(payload):
    attempt = 0
    while True:
        attempt += 1
        try:
            r = requests.post(f"{NETWORK_API}/manifests", json=payload, headers=_headers(), timeout=15)
            if r.status_code < 500:
                r.raise_for_status()
                return r.json()
        except requests.ConnectionError as exc:
            log.warning("manifest push failed (attempt %s): %s", attempt, exc)
        time.sleep(2)


@shared_task
def send_daily_manifest():
    session: Session = SessionLocal()
    try:
        since = date.today() - timedelta(days=1)
        donations = session.query(Donation).filter(Donation.received_on >= since).all()
        lines = []
        for d in donations:
            donor = session.query(Donor).filter_by(id=d.donor_id).one()
            lines.append({
                "donation_id": d.id,
                "donor": donor.display_name,
                "donor_type": donor.kind,          # grocery / farm / individual
                "kg": float(d.weight_kg),
                "category": d.category,
            })
        push_manifest({"date": since.isoformat(), "lines": lines})
    finally:
        session.close()


@shared_task
def pull_agency_requests():
    """Agencies (pantries, shelters) post their weekly needs on the network."""
    session = SessionLocal()
    try:
        r = requests.get(f"{NETWORK_API}/agency-requests?status=open", headers=_headers(), timeout=15)
        r.raise_for_status()
        results = r.json()["results"]
        ids = {req["agency_id"] for req in results}
        agencies = {a.id: a for a in session.query(Agency).filter(Agency.id.in_(ids))}
        for req in results:
            agency = agencies.get(req["agency_id"])
            if agency is not None:
                agency.open_request_kg = req["kg_requested"]
        session.commit()
    finally:
        session.close()


@shared_task
def sync_stock_levels():
    session = SessionLocal()
    try:
        r = requests.get(f"{NETWORK_API}/stock-levels", headers=_headers(), timeout=15)
        r.raise_for_status()
        qty_by_sku = {row["sku"]: row["qty"] for row in r.json()["items"]}
        for item in session.query(StockItem).filter(StockItem.sku.in_(qty_by_sku)):
            item.network_qty = qty_by_sku[item.sku]
        session.commit()
    except Exception:
        session.rollback()
    finally:
        session.close()
