# You're right — in the original version two buyers could both pass the
# `listing.status == "active"` check and both get sent to Stripe for the same
# seat. Below is the updated module. The reservation is now a single
# conditional UPDATE, so only one buyer can move a listing from "active" to
# "reserved"; the loser gets a 409.
#
# The webhook completes the sale once Stripe confirms payment.

import os
from datetime import datetime, timedelta, timezone

import stripe
from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import update
from sqlalchemy.orm import Session

from resale.db import get_db
from resale.models import Listing, SellerAccount, TicketTransfer

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
PLATFORM_FEE = 0.10
RESERVE_FOR = timedelta(minutes=15)

router = APIRouter()


@router.post("/listings/{listing_id}/checkout")
def start_checkout(listing_id: int, buyer_id: int, db: Session = Depends(get_db)):
    now = datetime.now(timezone.utc)
    result = db.execute(
        update(Listing)
        .where(
            Listing.id == listing_id,
            (Listing.status == "active")
            | ((Listing.status == "reserved") & (Listing.reserved_until < now)),
        )
        .values(status="reserved", reserved_by=buyer_id, reserved_until=now + RESERVE_FOR)
    )
    if result.rowcount == 0:
        db.rollback()
        raise HTTPException(409, "This ticket is no longer available")
    db.commit()

    listing = db.get(Listing, listing_id)
    session = stripe.checkout.Session.create(
        mode="payment",
        line_items=[{
            "price_data": {
                "currency": "usd",
                "unit_amount": listing.price_cents,
                "product_data": {"name": listing.event_name + " — " + listing.seat_label},
            },
            "quantity": 1,
        }],
        metadata={"listing_id": listing.id, "buyer_id": buyer_id},
        success_url="https://resale.example/orders/success",
        cancel_url=f"https://resale.example/listings/{listing.id}",
        expires_at=int((now + RESERVE_FOR).timestamp()),
    )
    return {"checkout_url": session.url}


@router.post("/webhooks/stripe")
async def stripe_webhook(request: Request, db: Session = Depends(get_db)):
    payload = await request.body()
    sig = request.headers.get("stripe-signature")
    try:
        event = stripe.Webhook.construct_event(payload, sig, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        raise HTTPException(400, "bad signature")

    if event["type"] != "checkout.session.completed":
        return {"ignored": event["type"]}

    meta = event["data"]["object"]["metadata"]
    listing = db.get(Listing, int(meta["listing_id"]))
    listing.status = "sold"
    listing.sold_to = int(meta["buyer_id"])

    db.add(TicketTransfer(listing_id=listing.id, from_user=listing.seller_id,
                          to_user=listing.sold_to))

    payout = int(listing.price_cents * (1 - PLATFORM_FEE))
    seller = db.get(SellerAccount, listing.seller_id)
    seller.pending_balance_cents = seller.pending_balance_cents + payout
    db.commit()
    return {"ok": True}
