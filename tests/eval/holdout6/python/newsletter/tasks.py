# newsletter/tasks.py
import logging
import time

import requests
from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string

from .models import Campaign, Delivery, Subscriber

log = logging.getLogger(__name__)

ESP_URL = "https://api.mailrelay.example/v3/send"
BATCH = 500


@shared_task
def fan_out_campaign(campaign_id):
    """Split the audience into batches and queue one task per batch."""
    ids = list(
        Subscriber.objects.filter(list_id=Campaign.objects.get(pk=campaign_id).list_id, status="active")
        .values_list("id", flat=True)
        .order_by("id")
    )
    for i in range(0, len(ids), BATCH):
        send_batch.delay(campaign_id, ids[i:i + BATCH])


@shared_task
def send_batch(campaign_id, subscriber_ids):
    campaign = Campaign.objects.get(pk=campaign_id)
    subs = Subscriber.objects.filter(id__in=subscriber_ids, status="active")
    sent = []
    for sub in subs:
        html = render_to_string("newsletter/email.html", {"campaign": campaign, "sub": sub})
        msg_id = deliver(sub.email, campaign.subject, html, campaign.from_address)
        sent.append(Delivery(campaign_id=campaign_id, subscriber_id=sub.id, provider_id=msg_id))
    Delivery.objects.bulk_create(sent, ignore_conflicts=True)
    log.info("campaign %s: sent %d", campaign_id, len(sent))


def deliver(to, subject, html, sender):
    """POST one message to the ESP; keep trying until it is accepted."""
    while True:
        try:
            r = requests.post(
                ESP_URL,
                json={"to": to, "from": sender, "subject": subject, "html": html},
                headers={"X-Api-Key": settings.ESP_API_KEY},
            )
            if r.status_code == 429 or r.status_code >= 500:
                raise RuntimeError(f"ESP busy: {r.status_code}")
            r.raise_for_status()
            return r.json()["message_id"]
        except (requests.RequestException, RuntimeError) as exc:
            log.warning("send to %s failed (%s), retrying", to, exc)
            time.sleep(1)
