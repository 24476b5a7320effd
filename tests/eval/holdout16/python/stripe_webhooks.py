# Stripe delivers each event at least once, so record the event id in the same
# transaction as the side effects. ProcessedStripeEvent.event_id is unique=True;
# a redelivered event hits the IntegrityError and is acknowledged without being
# applied twice.
import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from licensing.models import Contributor, License, Photo, ProcessedStripeEvent

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.META.get("HTTP_STRIPE_SIGNATURE", ""), settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("rejected stripe webhook: bad payload or signature")
        return HttpResponse(status=400)

    if event["type"] != "checkout.session.completed":
        return HttpResponse(status=200)

    with transaction.atomic():
        try:
            with transaction.atomic():  # savepoint, so the outer transaction stays usable
                ProcessedStripeEvent.objects.create(event_id=event["id"], event_type=event["type"])
        except IntegrityError:
            log.info("stripe event %s already processed, skipping", event["id"])
            return HttpResponse(status=200)

        sess = event["data"]["object"]
        photo = Photo.objects.select_related("contributor").get(pk=sess["metadata"]["photo_id"])
        License.objects.create(
            photo=photo,
            buyer_id=sess["metadata"]["buyer_id"],
            tier=sess["metadata"]["tier"],
            amount_cents=sess["amount_total"],
            stripe_session_id=sess["id"],
        )
        royalty = int(sess["amount_total"] * settings.ROYALTY_RATES[sess["metadata"]["tier"]])
        Contributor.objects.filter(pk=photo.contributor_id).update(balance_cents=F("balance_cents") + royalty)
        Photo.objects.filter(pk=photo.pk).update(license_count=F("license_count") + 1)

    return HttpResponse(status=200)
