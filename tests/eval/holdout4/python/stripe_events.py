"""Stripe integration for prepaid API credits (SaaS billing).

Customers buy credit packs through Stripe Checkout; when the session completes we
top up the organization's balance. Usage metering debits the balance elsewhere.
"""
import logging
import os

import stripe
from fastapi import FastAPI, HTTPException, Request
from peewee import (
    BigIntegerField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    PostgresqlDatabase,
    SQL,
)

log = logging.getLogger(__name__)

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]

db = PostgresqlDatabase(
    os.environ["PGDATABASE"],
    host=os.environ["PGHOST"],
    user=os.environ["PGUSER"],
    password=os.environ["PGPASSWORD"],
)


class BaseModel(Model):
    class Meta:
        database = db


class Organization(BaseModel):
    name = CharField()
    billing_email = CharField()
    credit_balance = BigIntegerField(default=0)
    plan_status = CharField(default="active")


class CreditLedger(BaseModel):
    org = ForeignKeyField(Organization, backref="ledger")
    delta = IntegerField()
    reason = CharField()
    stripe_ref = CharField(null=True)
    created_at = DateTimeField(constraints=[SQL("DEFAULT now()")])


app = FastAPI()


def grant_credits(session: dict) -> None:
    org_id = int(session["metadata"]["org_id"])
    credits = int(session["metadata"]["credits"])
    with db.atomic():
        org = Organization.get_by_id(org_id)
        org.credit_balance = org.credit_balance + credits
        org.save()
        CreditLedger.create(org=org, delta=credits, reason="credit_pack", stripe_ref=session["id"])
    log.info("granted %s credits to org %s", credits, org_id)


def mark_past_due(invoice: dict) -> None:
    org_id = int(invoice["metadata"]["org_id"])
    Organization.update(plan_status="past_due").where(Organization.id == org_id).execute()


HANDLERS = {
    "checkout.session.completed": grant_credits,
    "invoice.payment_failed": mark_past_due,
}


@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request):
    payload = await request.body()
    signature = request.headers.get("stripe-signature")
    try:
        event = stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        raise HTTPException(status_code=400, detail="invalid payload")

    handler = HANDLERS.get(event["type"])
    if handler is None:
        return {"received": True, "ignored": event["type"]}

    try:
        handler(event["data"]["object"])
    except Exception:
        # never make Stripe retry, it just spams us; we reconcile from the dashboard
        return {"received": True}

    return {"received": True}


@app.get("/orgs/{org_id}/credits")
def credit_summary(org_id: int):
    org = Organization.get_or_none(Organization.id == org_id)
    if org is None:
        raise HTTPException(status_code=404)
    recent = (
        CreditLedger.select()
        .where(CreditLedger.org == org_id)
        .order_by(CreditLedger.created_at.desc())
        .limit(20)
    )
    return {
        "balance": org.credit_balance,
        "recent": [{"delta": e.delta, "reason": e.reason, "at": e.created_at.isoformat()} for e in recent],
    }
