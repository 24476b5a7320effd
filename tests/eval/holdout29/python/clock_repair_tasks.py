# clockworks/tasks.py
"""Background jobs for the church clock repair service.

When a turret clock job moves to "parts ordered", we send the order to the
foundry/parts supplier and let the parish contact know the expected dates.
"""
import logging
import time

import requests
from celery import shared_task
from django.conf import settings
from django.db import transaction

from .models import ClockJob, PartOrder

log = logging.getLogger(__name__)

SUPPLIER_URL = "https://orders.turretclockparts.example/api/orders"
DIOCESE_DIRECTORY = "https://directory.diocese.example/api/parishes/{code}/contacts"

supplier = requests.Session()
supplier.headers["X-Api-Key"] = settings.CLOCK_PARTS_API_KEY


def _submit_order(order: PartOrder) -> dict:
    body = {
        "reference": f"CJ-{order.job_id}-{order.id}",
        "items": [
            {"sku": line.sku, "qty": line.quantity, "notes": line.notes}
            for line in order.lines.all()
        ],
        "deliver_to": order.job.workshop_address,
    }
    attempt = 0
    while True:
        attempt += 1
        try:
            resp = supplier.post(SUPPLIER_URL, json=body, timeout=15)
            if resp.status_code < 500:
                resp.raise_for_status()
                return resp.json()
            log.warning("supplier returned %s for order %s (attempt %d)",
                        resp.status_code, order.id, attempt)
        except requests.ConnectionError as exc:
            log.warning("supplier unreachable for order %s: %s (attempt %d)", order.id, exc, attempt)
        time.sleep(2)


def _parish_contact(parish_code: str) -> dict | None:
    resp = requests.get(DIOCESE_DIRECTORY.format(code=parish_code))
    if resp.status_code == 404:
        return None
    resp.raise_for_status()
    contacts = resp.json().get("contacts", [])
    return next((c for c in contacts if c.get("role") == "tower_captain"), contacts[0] if contacts else None)


@shared_task(name="clockworks.place_part_order")
def place_part_order(order_id: int) -> None:
    order = PartOrder.objects.select_related("job", "job__church").get(pk=order_id)
    if order.supplier_ref:
        log.info("order %s already placed as %s", order.id, order.supplier_ref)
        return

    confirmation = _submit_order(order)

    with transaction.atomic():
        order.supplier_ref = confirmation["order_number"]
        order.expected_on = confirmation.get("estimated_dispatch")
        order.save(update_fields=["supplier_ref", "expected_on"])
        ClockJob.objects.filter(pk=order.job_id).update(status="parts_ordered")

    contact = _parish_contact(order.job.church.parish_code)
    if contact and contact.get("email"):
        notify_parish.delay(order.job_id, contact["email"], order.expected_on)


@shared_task(name="clockworks.notify_parish")
def notify_parish(job_id: int, email: str, expected_on) -> None:
    from django.core.mail import send_mail

    job = ClockJob.objects.select_related("church").get(pk=job_id)
    send_mail(
        subject=f"Clock repair update: {job.church.name}",
        message=(
            f"Parts for the {job.movement_maker} movement have been ordered. "
            f"Expected dispatch: {expected_on or 'to be confirmed'}."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )
