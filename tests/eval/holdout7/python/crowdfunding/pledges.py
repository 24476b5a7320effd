"""Pledge endpoints and Stripe webhook for the campaign service."""
import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.contrib.auth.decorators import login_required

from .models import Campaign, Pledge, ProcessedStripeEvent

logger = logging.getLogger(__name__)


@login_required
@require_POST
def create_pledge(request, campaign_id):
    amount_cents = int(request.POST["amount_cents"])
    if amount_cents < 100:
        return JsonResponse({"error": "Minimum pledge is $1"}, status=400)

    campaign = Campaign.objects.only("id", "status", "currency").get(pk=campaign_id)
    if campaign.status != Campaign.LIVE:
        return JsonResponse({"error": "Campaign is not accepting pledges"}, status=409)

    pledge = Pledge.objects.create(
        campaign=campaign,
        backer=request.user,
        amount_cents=amount_cents,
        status=Pledge.AWAITING_PAYMENT,
    )
    return JsonResponse({"pledge_id": pledge.id}, status=201)


def _apply_successful_payment(payment_intent):
    pledge_id = int(payment_intent["metadata"]["pledge_id"])
    # Flip the pledge only if it is still awaiting payment; the filter makes it a no-op otherwise.
    flipped = Pledge.objects.filter(pk=pledge_id, status=Pledge.AWAITING_PAYMENT).update(
        status=Pledge.PAID
    )
    if not flipped:
        logger.info("pledge %s already settled, skipping", pledge_id)
        return
    pledge = Pledge.objects.only("campaign_id", "amount_cents").get(pk=pledge_id)
    Campaign.objects.filter(pk=pledge.campaign_id).update(
        raised_cents=F("raised_cents") + pledge.amount_cents,
        backer_count=F("backer_count") + 1,
    )


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe.Webhook.construct_event(
            request.body,
            request.META.get("HTTP_STRIPE_SIGNATURE", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        logger.warning("rejected stripe webhook with bad signature")
        return HttpResponse(status=400)

    try:
        with transaction.atomic():
            # Unique constraint on event_id: a redelivered event fails here and is skipped.
            ProcessedStripeEvent.objects.create(event_id=event["id"], type=event["type"])
            if event["type"] == "payment_intent.succeeded":
                _apply_successful_payment(event["data"]["object"])
            elif event["type"] == "payment_intent.payment_failed":
                pledge_id = int(event["data"]["object"]["metadata"]["pledge_id"])
                Pledge.objects.filter(pk=pledge_id, status=Pledge.AWAITING_PAYMENT).update(
                    status=Pledge.FAILED
                )
    except IntegrityError:
        logger.info("duplicate stripe event %s ignored", event["id"])

    return HttpResponse(status=200)
