"""Celery beat job: mirror slot inventory from the VendTrack cloud for an operator's fleet."""
import logging

import httpx
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fleet.models import Machine, Slot

log = logging.getLogger(__name__)

PAGE = 500

# one client per worker process; the timeout is set on the client so every call gets it
vendtrack = httpx.Client(
    base_url="https://api.vendtrack.example.com/v3",
    headers={"X-Api-Key": settings.VENDTRACK_KEY},
    timeout=httpx.Timeout(10.0, connect=3.0),
)


@shared_task(
    bind=True,
    autoretry_for=(httpx.TransportError, httpx.HTTPStatusError),
    retry_backoff=5,  # 5s, 10s, 20s, ... with jitter
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def sync_inventory(self, operator_id: int) -> int:
    last_id = 0
    updated = 0
    while True:
        page = list(
            Machine.objects.filter(operator_id=operator_id, active=True, id__gt=last_id)
            .order_by("id")
            .values_list("id", "vendtrack_serial")[:PAGE]
        )
        if not page:
            break
        serial_to_id = {serial: mid for mid, serial in page}
        # one batched call per page of 500 machines
        resp = vendtrack.post("/inventory/batch", json={"serials": list(serial_to_id)})
        resp.raise_for_status()
        updated += _apply_page(serial_to_id, resp.json()["machines"])
        last_id = page[-1][0]
    log.info("operator %s: %d slots updated", operator_id, updated)
    return updated


def _apply_page(serial_to_id: dict, machines: list) -> int:
    # VendTrack is the source of truth for qty; we only mirror it for the ops UI
    slots = {
        (s.machine_id, s.code): s
        for s in Slot.objects.filter(machine_id__in=list(serial_to_id.values()))
    }
    now = timezone.now()
    changed = []
    for item in machines:
        mid = serial_to_id.get(item["serial"])
        for code, qty in item["slots"].items():
            slot = slots.get((mid, code))
            if slot is not None and slot.qty != qty:
                slot.qty, slot.synced_at = qty, now
                changed.append(slot)
    try:
        with transaction.atomic():
            Slot.objects.bulk_update(changed, ["qty", "synced_at"], batch_size=1000)
    except Exception:
        log.exception("bulk_update of %d slots failed", len(changed))
        raise
    return len(changed)
