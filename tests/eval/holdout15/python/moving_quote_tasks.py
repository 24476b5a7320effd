"""Celery tasks for the moving-quote pipeline (MoveRight).

A customer fills out the survey -> we ask each partner carrier for a quote ->
we email the customer once all quotes are in (or after 2h).
"""
import logging
import time

import requests
from celery import Celery, group
from sqlalchemy.orm import Session

from movers.db import SessionLocal
from movers.models import CarrierQuote, Quote, QuoteStatus
from movers.mail import render_quote_email, smtp_send

celery_app = Celery("movers", broker="redis://redis:6379/2")
log = logging.getLogger(__name__)

CARRIER_ENDPOINTS = {
    "atlas": "https://partners.atlas-van.example.com/v1/estimates",
    "twohands": "https://api.twohands.example.com/quotes",
    "bluebox": "https://bluebox.example.com/api/estimate",
}


@celery_app.task
def fan_out_quote(quote_id: int) -> None:
    group(request_carrier_quote.s(quote_id, code) for code in CARRIER_ENDPOINTS).apply_async()


@celery_app.task
def request_carrier_quote(quote_id: int, carrier: str) -> None:
    with SessionLocal() as db:  # type: Session
        quote = db.get(Quote, quote_id)
        payload = {
            "origin_zip": quote.origin_zip,
            "dest_zip": quote.dest_zip,
            "move_date": quote.move_date.isoformat(),
            "cubic_feet": quote.cubic_feet,
            "stairs": quote.stairs,
        }
        estimate = None
        for attempt in range(10):
            try:
                r = requests.post(CARRIER_ENDPOINTS[carrier], json=payload, timeout=15)
                r.raise_for_status()
                estimate = r.json()
                break
            except requests.RequestException as exc:
                log.warning("carrier %s attempt %d failed: %s", carrier, attempt, exc)
                time.sleep(3)
        if estimate is None:
            log.error("carrier %s never answered for quote %s", carrier, quote_id)
            return
        db.add(CarrierQuote(quote_id=quote_id, carrier=carrier,
                            price_cents=int(estimate["total"] * 100),
                            valid_days=estimate.get("valid_days", 14)))
        db.commit()


@celery_app.task(
    autoretry_for=(requests.RequestException,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def push_to_crm(quote_id: int) -> None:
    with SessionLocal() as db:
        quote = db.get(Quote, quote_id)
        requests.put(
            f"https://crm.moveright.example.com/api/leads/{quote.lead_id}",
            json={"stage": "quoted", "quote_id": quote_id},
            timeout=10,
        ).raise_for_status()


@celery_app.task
def email_quotes(quote_id: int) -> None:
    with SessionLocal() as db:
        quote = db.get(Quote, quote_id)
        try:
            body = render_quote_email(quote, quote.carrier_quotes)
            smtp_send(to=quote.customer_email, subject="Your moving quotes", html=body)
        except Exception:
            pass
        quote.status = QuoteStatus.SENT
        db.commit()
