import logging

import stripe
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Invoice, Payment, Wallet

log = logging.getLogger(__name__)
stripe.api_key = settings.STRIPE_SECRET_KEY


@login_required
@require_GET
def wallet_summary(request):
    wallet = get_object_or_404(Wallet, user=request.user)
    invoices = Invoice.objects.filter(user=request.user).order_by("-created_at")[:20]
    return JsonResponse({
        "balance_cents": wallet.balance_cents,
        "invoices": [
            {"id": i.id, "total": i.total_cents, "status": i.status, "created": i.created_at.isoformat()}
            for i in invoices
        ],
    })


@login_required
@require_POST
def create_checkout(request):
    amount = int(request.POST.get("amount_cents", 0))
    if amount < 500 or amount > 50000:
        return JsonResponse({"error": "amount out of range"}, status=400)
    session = stripe.checkout.Session.create(
        mode="payment",
        line_items=[{
            "price_data": {"currency": "eur", "unit_amount": amount,
                           "product_data": {"name": "Wallet top-up"}},
            "quantity": 1,
        }],
        metadata={"user_id": request.user.id},
        success_url=settings.SITE_URL + "/wallet?ok=1",
        cancel_url=settings.SITE_URL + "/wallet",
    )
    return JsonResponse({"url": session.url})


def _send_receipt(user_id, amount_cents):
    wallet = Wallet.objects.select_related("user").get(user_id=user_id)
    send_mail(
        "Your top-up receipt",
        f"We added {amount_cents / 100:.2f} EUR to your wallet.",
        settings.DEFAULT_FROM_EMAIL,
        [wallet.user.email],
    )


# stripe -> /billing/webhook/
@csrf_exempt
@require_POST
def stripe_webhook(request):
    payload = request.body
    sig = request.META.get("HTTP_STRIPE_SIGNATURE", "")
    try:
        event = stripe.Webhook.construct_event(payload, sig, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("stripe webhook: bad payload/signature")
        return HttpResponse(status=400)

    if event["type"] == "checkout.session.completed":
        obj = event["data"]["object"]
        user_id = int(obj["metadata"]["user_id"])
        amount = obj["amount_total"]

        Payment.objects.create(user_id=user_id, amount_cents=amount, provider_ref=obj["id"])

        wallet = Wallet.objects.get(user_id=user_id)
        wallet.balance_cents += amount
        wallet.save()

        try:
            _send_receipt(user_id, amount)
        except Exception:
            pass

    elif event["type"] == "charge.refunded":
        obj = event["data"]["object"]
        log.info("refund for charge %s, handled manually", obj["id"])

    return HttpResponse(status=200)
