# You're right to worry: Stripe delivers webhooks *at least once* and keeps retrying
# for up to three days, so the old handler could create the same season subscription
# twice. Here's a fixed version that records each event id (unique) in the same
# transaction as the side effects, so a redelivery becomes a no-op.

import logging

import requests
import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from subscriptions.models import ProcessedStripeEvent, SeasonSubscription, Subscriber

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("rejected stripe webhook with a bad signature")
        return HttpResponseBadRequest()

    try:
        with transaction.atomic():
            # ProcessedStripeEvent.event_id has unique=True
            ProcessedStripeEvent.objects.create(event_id=event["id"], type=event["type"])
            if event["type"] == "checkout.session.completed":
                _activate_subscription(event["data"]["object"])
    except IntegrityError:
        log.info("stripe event %s already processed, skipping", event["id"])
    return HttpResponse(status=200)


def _activate_subscription(session):
    subscriber = Subscriber.objects.get(stripe_customer_id=session["customer"])
    sub = SeasonSubscription.objects.create(
        subscriber=subscriber,
        season=session["metadata"]["season"],
        package=session["metadata"]["package"],  # e.g. "6 operas, Friday stalls"
        amount_cents=session["amount_total"],
    )
    # ask the box office to hold the same seats for every performance in the package
    resp = requests.post(
        f"{settings.BOX_OFFICE_URL}/subscriptions",
        json={
            "subscription_id": sub.id,
            "package": sub.package,
            "seat_preference": subscriber.seat_preference,
        },
        headers={"Authorization": f"Bearer {settings.BOX_OFFICE_TOKEN}"},
    )
    resp.raise_for_status()
    sub.box_office_ref = resp.json()["reference"]
    sub.save(update_fields=["box_office_ref"])

# Why this works:
# - the unique event_id insert and the subscription insert commit together; if the
#   box office call fails, everything rolls back, we return 500 and Stripe retries.
# - a duplicate delivery hits the unique constraint and is acknowledged with 200.
