"""Celery tasks for the courier dispatch board (bike + cargo-bike fleet)."""
import logging
import time

import requests
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from dispatch.models import Courier, Delivery

log = logging.getLogger(__name__)

ROUTING_URL = "http://osrm.internal:5000/route/v1/bike"
PUSH_URL = "https://push.spokesapp.io/v1/notify"


def _route_seconds(courier, delivery):
    coords = f"{courier.lon},{courier.lat};{delivery.pickup_lon},{delivery.pickup_lat}"
    resp = requests.get(f"{ROUTING_URL}/{coords}", params={"overview": "false"}, timeout=(2, 5))
    resp.raise_for_status()
    return resp.json()["routes"][0]["duration"]


def push_to_courier(courier_id, payload):
    """Send a push to the courier's phone. The provider 503s a lot during lunch rush."""
    for attempt in range(10):
        try:
            r = requests.post(PUSH_URL, json={"to": f"courier-{courier_id}", "data": payload})
            if r.status_code < 500:
                return r.ok
            log.warning("push to %s got %s (attempt %d)", courier_id, r.status_code, attempt)
        except requests.RequestException:
            log.warning("push to %s failed (attempt %d)", courier_id, attempt, exc_info=True)
        time.sleep(0.5)
    return False


@shared_task(acks_late=True)
def assign_delivery(delivery_id):
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.courier_id is not None:
            return delivery.courier_id  # already assigned by a previous run

        courier = (
            Courier.objects.select_for_update(skip_locked=True)
            .filter(zone_id=delivery.zone_id, status="idle")
            .order_by("last_drop_at")
            .first()
        )
        if courier is None:
            assign_delivery.apply_async((delivery_id,), countdown=30)
            return None

        courier.status = "assigned"
        courier.save(update_fields=["status"])
        delivery.courier = courier
        delivery.assigned_at = timezone.now()
        delivery.save(update_fields=["courier", "assigned_at"])

    try:
        delivery.eta_seconds = int(_route_seconds(courier, delivery))
        delivery.save(update_fields=["eta_seconds"])
    except Exception:
        pass

    push_to_courier(courier.id, {"delivery": delivery.id, "pickup": delivery.pickup_address})
    return courier.id


@shared_task
def release_stale_assignments():
    """Beat: every 2 min, put back deliveries a courier never accepted."""
    cutoff = timezone.now() - timezone.timedelta(minutes=5)
    with transaction.atomic():
        stale = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(accepted_at__isnull=True, assigned_at__lt=cutoff, courier__isnull=False)
            .values_list("id", "courier_id")[:200]
        )
        if not stale:
            return 0
        Delivery.objects.filter(id__in=[d for d, _ in stale]).update(courier=None, assigned_at=None)
        Courier.objects.filter(id__in={c for _, c in stale}).update(status="idle")
    for delivery_id, _ in stale:
        assign_delivery.delay(delivery_id)
    log.info("released %d stale assignments", len(stale))
    return len(stale)
