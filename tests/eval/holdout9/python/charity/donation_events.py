"""Django view for the payment provider's webhooks (GoCardless-style)."""
import json
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Campaign, Gift, ProcessedWebhookEvent
from .signing import verify_signature

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def provider_webhook(request):
    if not verify_signature(request.body, request.headers.get("Webhook-Signature", "")):
        return HttpResponseBadRequest("bad signature")
    body = json.loads(request.body)

    for ev in body.get("events", []):
        try:
            with transaction.atomic():
                # event_id has a unique constraint; a replay raises IntegrityError
                ProcessedWebhookEvent.objects.create(event_id=ev["id"], kind=ev["resource_type"])
                if ev["resource_type"] == "payments" and ev["action"] == "confirmed":
                    gift = Gift.objects.select_for_update().get(provider_payment_id=ev["links"]["payment"])
                    gift.status = "confirmed"
                    gift.save(update_fields=["status"])
                    Campaign.objects.filter(pk=gift.campaign_id).update(
                        raised_cents=F("raised_cents") + gift.amount_cents
                    )
        except IntegrityError:
            logger.info("webhook event %s already processed", ev["id"])
        except Gift.DoesNotExist:
            logger.error("unknown payment in event %s", ev["id"])
            raise

    return HttpResponse(status=204)
