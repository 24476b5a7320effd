import json
import logging
from decimal import Decimal, InvalidOperation

import stripe
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import LedgerEntry, Wallet

logger = logging.getLogger(__name__)


@login_required
@require_POST
def transfer(request):
    try:
        data = json.loads(request.body)
        amount = Decimal(str(data["amount"]))
        to_user = int(data["to_user_id"])
    except (ValueError, KeyError, InvalidOperation):
        return JsonResponse({"error": "bad request"}, status=400)
    if amount <= 0 or to_user == request.user.id:
        return JsonResponse({"error": "bad request"}, status=400)

    with transaction.atomic():
        # lock both rows in a stable order so two opposite transfers can't deadlock
        ids = sorted([request.user.id, to_user])
        wallets = {w.user_id: w for w in Wallet.objects.select_for_update().filter(user_id__in=ids).order_by("user_id")}
        if len(wallets) != 2:
            return JsonResponse({"error": "unknown recipient"}, status=404)
        src, dst = wallets[request.user.id], wallets[to_user]
        if src.balance < amount:
            return JsonResponse({"error": "insufficient funds"}, status=409)
        src.balance -= amount
        dst.balance += amount
        src.save(update_fields=["balance"])
        dst.save(update_fields=["balance"])
        LedgerEntry.objects.create(wallet=src, amount=-amount, kind="transfer_out")
        LedgerEntry.objects.create(wallet=dst, amount=amount, kind="transfer_in")

    return JsonResponse({"balance": str(src.balance)})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    payload = request.body
    sig = request.META.get("HTTP_STRIPE_SIGNATURE", "")
    try:
        event = stripe.Webhook.construct_event(payload, sig, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        logger.warning("stripe webhook with bad signature")
        return HttpResponse(status=400)

    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        user_id = int(session["metadata"]["user_id"])
        amount = Decimal(session["amount_total"]) / 100

        # top-up: credit the wallet
        wallet = Wallet.objects.get(user_id=user_id)
        wallet.balance = wallet.balance + amount
        wallet.save()
        LedgerEntry.objects.create(wallet=wallet, amount=amount, kind="topup", reference=session["id"])
        logger.info("wallet %s topped up by %s", wallet.pk, amount)

    elif event["type"] == "charge.refunded":
        charge = event["data"]["object"]
        logger.info("refund for %s, handled by finance manually", charge["id"])

    return HttpResponse(status=200)
