"""Celery tasks: craft-fair vendor payouts.

Triggered from the organiser dashboard once a fair is closed out
(`run_fair_payouts.delay(fair_id)`), and nightly by beat for stragglers.
"""
import logging
from datetime import date, timedelta
from decimal import Decimal

import stripe
from celery import shared_task
from sqlalchemy import func, select

from fairs.db import SessionLocal
from fairs.models import Fair, Payout, Sale, Vendor

log = logging.getLogger(__name__)

PLATFORM_FEE = Decimal("0.06")  # 6% of gross card sales


@shared_task(
    bind=True,
    autoretry_for=(stripe.error.APIConnectionError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def run_fair_payouts(self, fair_id: int) -> None:
    with SessionLocal() as session:
        fair = session.get(Fair, fair_id)
        if fair is None or fair.status != "closed":
            log.info("fair %s not closed yet, skipping payouts", fair_id)
            return

        vendors = session.scalars(
            select(Vendor).where(Vendor.fair_id == fair_id, Vendor.payout_status == "pending")
        ).all()
        log.info("paying out %d vendors for fair %s", len(vendors), fair_id)

        for vendor in vendors:
            gross = session.scalar(
                select(func.coalesce(func.sum(Sale.amount_cents), 0)).where(
                    Sale.vendor_id == vendor.id,
                    Sale.fair_id == fair_id,
                    Sale.refunded.is_(False),
                )
            )
            net = int(Decimal(gross) * (1 - PLATFORM_FEE))
            if net <= 0:
                vendor.payout_status = "nothing_due"
                continue

            transfer_id = _send_payout(vendor, net, fair_id)
            session.add(Payout(vendor_id=vendor.id, fair_id=fair_id, amount_cents=net, transfer_id=transfer_id))
            vendor.payout_status = "paid"

        session.commit()


def _send_payout(vendor: Vendor, amount_cents: int, fair_id: int):
    """Transfer the vendor's share to their connected account."""
    try:
        tr = stripe.Transfer.create(
            amount=amount_cents,
            currency="usd",
            destination=vendor.stripe_account_id,
            transfer_group=f"fair-{fair_id}",
            idempotency_key=f"payout-{fair_id}-{vendor.id}",
        )
        return tr.id
    except stripe.error.StripeError:
        return None


@shared_task
def payout_stragglers() -> None:
    """Beat: every night at 02:00, re-run payouts for fairs closed in the last two weeks."""
    since = date.today() - timedelta(days=14)
    with SessionLocal() as session:
        fair_ids = session.scalars(
            select(Fair.id).where(Fair.status == "closed", Fair.closed_on >= since)
        ).all()
    for fid in fair_ids:
        run_fair_payouts.delay(fid)
