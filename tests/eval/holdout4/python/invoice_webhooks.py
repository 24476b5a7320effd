# billing/webhooks.py  (Django 5)
# Paddle Billing notifications -> seat counts and account credit for workspaces.
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing.models import ProcessedWebhook, Workspace, WorkspaceCreditEntry

logger = logging.getLogger(__name__)


def _verify(request) -> bool:
    # Paddle-Signature: ts=1700000000;h1=<hex>
    header = request.headers.get("Paddle-Signature", "")
    parts = dict(p.split("=", 1) for p in header.split(";") if "=" in p)
    signed = f"{parts.get('ts', '')}:{request.body.decode()}".encode()
    expected = hmac.new(settings.PADDLE_WEBHOOK_SECRET.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("h1", ""))


@csrf_exempt
@require_POST
def paddle_webhook(request):
    if not _verify(request):
        return HttpResponseBadRequest("bad signature")

    event = json.loads(request.body)
    event_id = event["event_id"]

    try:
        with transaction.atomic():
            # unique constraint on event_id: a redelivered event fails here and nothing below runs twice
            ProcessedWebhook.objects.create(provider="paddle", event_id=event_id, event_type=event["event_type"])
            _apply(event)
    except IntegrityError:
        logger.info("paddle event %s already processed", event_id)
        return HttpResponse(status=200)
    except Exception:
        logger.exception("paddle event %s failed; Paddle will retry", event_id)
        raise

    return HttpResponse(status=200)


def _apply(event: dict) -> None:
    data = event["data"]
    workspace_id = int(data["custom_data"]["workspace_id"])

    if event["event_type"] == "subscription.updated":
        seats = sum(item["quantity"] for item in data["items"])
        Workspace.objects.filter(pk=workspace_id).update(seat_limit=seats, plan_status=data["status"])

    elif event["event_type"] == "transaction.completed" and data.get("origin") == "credit_purchase":
        amount = int(data["details"]["totals"]["grand_total"])
        Workspace.objects.filter(pk=workspace_id).update(credit_cents=F("credit_cents") + amount)
        WorkspaceCreditEntry.objects.create(
            workspace_id=workspace_id,
            amount_cents=amount,
            source="paddle",
            external_ref=data["id"],
        )
