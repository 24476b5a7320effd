# registrations/views.py  (Northside Youth Soccer Club)
import logging

import requests
import stripe
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, F, Sum
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Registration, Team

log = logging.getLogger(__name__)
stripe.api_key = settings.STRIPE_SECRET_KEY


@require_GET
def home(request):
    # "Our league in numbers" widget on the public landing page
    clubs = (
        Registration.objects.filter(status="paid")
        .values("club__name")
        .annotate(
            players=Count("player", distinct=True),
            seasons=Count("season", distinct=True),
            volunteer_hours=Sum("volunteer_hours"),
        )
        .order_by("-players")
    )
    totals = Registration.objects.filter(status="paid").aggregate(players=Count("player", distinct=True))
    return render(request, "home.html", {"clubs": list(clubs), "totals": totals})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    sig = request.headers.get("Stripe-Signature", "")
    try:
        event = stripe.Webhook.construct_event(request.body, sig, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("rejected webhook with bad signature")
        return HttpResponseBadRequest()

    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        reg = Registration.objects.select_related("player", "team", "guardian").get(
            pk=session["metadata"]["registration_id"]
        )
        reg.status = "paid"
        reg.amount_paid_cents = F("amount_paid_cents") + session["amount_total"]
        reg.save(update_fields=["status", "amount_paid_cents"])
        Team.objects.filter(pk=reg.team_id).update(rostered=F("rostered") + 1)
        _register_with_state_association(reg)
        send_mail(
            subject=f"{reg.player.first_name} is registered for {reg.team.name}!",
            message="See you at the first practice. Uniform pickup details to follow.",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[reg.guardian.email],
        )

    elif event["type"] == "charge.refunded":
        charge = event["data"]["object"]
        Registration.objects.filter(stripe_payment_intent=charge["payment_intent"]).update(
            status="refunded", amount_paid_cents=F("amount_paid_cents") - charge["amount_refunded"]
        )

    return HttpResponse(status=200)


def _register_with_state_association(reg):
    # state association needs every rostered player for insurance coverage
    resp = requests.post(
        f"{settings.STATE_ASSOC_URL}/v1/players",
        json={
            "club_code": settings.CLUB_CODE,
            "first_name": reg.player.first_name,
            "last_name": reg.player.last_name,
            "birth_date": reg.player.birth_date.isoformat(),
            "age_group": reg.team.age_group,
        },
        headers={"Authorization": f"Token {settings.STATE_ASSOC_TOKEN}"},
    )
    resp.raise_for_status()
    Registration.objects.filter(pk=reg.pk).update(state_player_id=resp.json()["player_id"])
