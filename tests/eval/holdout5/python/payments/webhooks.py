import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import LedgerEntry, ProcessedStripeEvent, Wallet

logger = logging.getLogger(__name__)

ACTIVITY_TTL = 120


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.META.get("HTTP_STRIPE_SIGNATURE", ""), settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        logger.warning("rejected stripe webhook: bad payload or signature")
        return HttpResponse(status=400)

    if event["type"] != "checkout.session.completed":
        return HttpResponse(status=200)

    session = event["data"]["object"]
    user_id = int(session["metadata"]["user_id"])
    amount = Decimal(session["amount_total"]) / 100

    try:
        with transaction.atomic():
            # ProcessedStripeEvent.event_id is unique: a redelivered event fails here
            ProcessedStripeEvent.objects.create(event_id=event["id"], type=event["type"])
            updated = Wallet.objects.filter(user_id=user_id).update(balance=F("balance") + amount)
            if updated != 1:
                raise Wallet.DoesNotExist(f"no wallet for user {user_id}")
            LedgerEntry.objects.create(
                wallet_id=Wallet.objects.values_list("id", flat=True).get(user_id=user_id),
                amount=amount,
                kind="topup",
                reference=session["id"],
            )
    except IntegrityError:
        logger.info("stripe event %s already processed, skipping", event["id"])
        return HttpResponse(status=200)
    except Wallet.DoesNotExist:
        logger.exception("top-up for unknown wallet, event %s", event["id"])
        raise

    cache.delete(f"wallet-activity:{user_id}")
    return HttpResponse(status=200)


@login_required
@require_GET
def my_activity(request):
    """Balance + last 20 ledger entries for the signed-in user (their own data)."""
    key = f"wallet-activity:{request.user.id}"
    data = cache.get(key)
    if data is None:
        wallet = Wallet.objects.get(user=request.user)
        entries = LedgerEntry.objects.filter(wallet=wallet).order_by("-created_at")[:20]
        data = {
            "balance": str(wallet.balance),
            "entries": [
                {"amount": str(e.amount), "kind": e.kind, "at": e.created_at.isoformat()} for e in entries
            ],
        }
        cache.set(key, data, ACTIVITY_TTL)
    return JsonResponse(data)
