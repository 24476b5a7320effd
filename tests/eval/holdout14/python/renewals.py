# beanbox/tasks/renewals.py
# nightly: charge + place roastery order for every subscription due today
import os
import time
import logging
from datetime import date, timedelta

import requests
from celery import shared_task
from sqlalchemy import select

from beanbox.db import SessionLocal
from beanbox.models import Address, Shipment, Subscription

log = logging.getLogger(__name__)

PAY_URL = "https://api.paygate.example/v1/charges"
ROASTERY_URL = "https://partners.hillside-roasters.example/api/v2"
PAY_KEY = os.environ["PAYGATE_KEY"]


def charge(sub):
    # paygate 502s a lot around midnight, just keep trying
    while True:
        r = requests.post(
            PAY_URL,
            json={
                "customer": sub.paygate_customer,
                "amount": sub.price_cents,
                "currency": "usd",
                "idempotency_key": f"sub-{sub.id}-{sub.next_ship_on.isoformat()}",
            },
            headers={"Authorization": f"Bearer {PAY_KEY}"},
            timeout=15,
        )
        if r.status_code < 500:
            return r
        log.warning("paygate %s for sub %s, retrying", r.status_code, sub.id)
        time.sleep(2)


@shared_task(name="renewals.run")
def renew_due_subscriptions():
    today = date.today()
    db = SessionLocal()
    try:
        subs = db.execute(
            select(Subscription)
            .where(Subscription.status == "active")
            .where(Subscription.next_ship_on <= today)
        ).scalars().all()
        log.info("%d subscriptions due", len(subs))

        for sub in subs:
            addr = db.get(Address, sub.address_id)
            r = charge(sub)
            if r.status_code != 200:
                sub.status = "past_due"
                db.commit()
                continue

            resp = requests.post(
                f"{ROASTERY_URL}/orders",
                json={
                    "sku": sub.blend_sku,
                    "grind": sub.grind,
                    "bags": sub.bags,
                    "ship_to": addr.as_label(),
                    "ref": f"bb-{sub.id}-{today:%Y%m%d}",
                },
                headers={"X-Partner-Id": "beanbox"},
            )
            resp.raise_for_status()

            db.add(Shipment(subscription_id=sub.id, roastery_order_id=resp.json()["order_id"],
                            charge_id=r.json()["id"], ship_on=today))
            sub.next_ship_on = sub.next_ship_on + timedelta(days=sub.interval_days)
            db.commit()
    finally:
        db.close()
