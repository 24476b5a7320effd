# loans/webhooks.py
import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from loans.models import Loan, Payment

log = logging.getLogger(__name__)


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
        log.warning("bad stripe signature")
        return HttpResponse(status=400)

    obj = event["data"]["object"]
    if event["type"] == "payment_intent.succeeded" and obj["metadata"].get("loan_id"):
        try:
            _apply_payment(obj)
        except Exception:
            return JsonResponse({"received": True})
    elif event["type"] == "charge.refunded":
        _reverse_payment(obj)

    return JsonResponse({"received": True})


def _apply_payment(intent):
    amount = Decimal(intent["amount_received"]) / 100
    loan = Loan.objects.get(pk=intent["metadata"]["loan_id"])

    # interest first, then principal (servicing agreement 4.2)
    to_interest = min(amount, loan.accrued_interest)
    loan.accrued_interest -= to_interest
    loan.principal_balance -= amount - to_interest
    loan.last_payment_at = timezone.now()
    if loan.principal_balance <= 0:
        loan.principal_balance = Decimal("0")
        loan.status = Loan.Status.PAID_IN_FULL
    loan.save()

    Payment.objects.create(
        loan=loan,
        amount=amount,
        to_interest=to_interest,
        provider_ref=intent["id"],
    )
    send_mail(
        "We received your payment",
        f"Thanks! ${amount} was applied to loan {loan.reference}. "
        f"Remaining principal: ${loan.principal_balance}",
        settings.DEFAULT_FROM_EMAIL,
        [loan.borrower.email],
    )


def _reverse_payment(charge):
    payment = Payment.objects.filter(provider_ref=charge["payment_intent"]).first()
    if payment is None:
        log.error("refund for unknown payment %s", charge["payment_intent"])
        return
    with transaction.atomic():
        # only the first delivery of the refund event flips reversed_at
        flipped = Payment.objects.filter(pk=payment.pk, reversed_at__isnull=True).update(
            reversed_at=timezone.now()
        )
        if flipped:
            Loan.objects.filter(pk=payment.loan_id).update(
                principal_balance=F("principal_balance") + (payment.amount - payment.to_interest),
                accrued_interest=F("accrued_interest") + payment.to_interest,
            )
