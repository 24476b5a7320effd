"""Background jobs for bell casting orders.

Orders are entered by the foundry office in Django admin; these tasks push
them to the furnace scheduling ERP and tell the parish contact when the
casting date is fixed.
"""
import logging
import time

import requests
from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from foundry.models import CastingOrder

log = logging.getLogger(__name__)

erp = requests.Session()
erp.headers["X-Api-Key"] = settings.FOUNDRY_ERP_KEY


def _order_payload(order: CastingOrder) -> dict:
    return {
        "reference": order.reference,
        "note": order.strike_note,          # e.g. "D#4"
        "weight_kg": float(order.target_weight_kg),
        "alloy": order.alloy,               # 77/23 bell metal by default
        "inscription": order.inscription,
        "parish": order.parish_name,
    }


@shared_task(name="foundry.push_casting_order")
def push_casting_order(order_id: int) -> str:
    order = CastingOrder.objects.get(pk=order_id)
    payload = _order_payload(order)

    for attempt in range(8):
        try:
            resp = erp.post(f"{settings.FOUNDRY_ERP_URL}/castings", json=payload, timeout=10)
            resp.raise_for_status()
            break
        except requests.RequestException as exc:
            log.warning("ERP push for %s failed (attempt %d): %s", order.reference, attempt + 1, exc)
            time.sleep(2)
    else:
        raise RuntimeError(f"ERP rejected casting order {order.reference}")

    data = resp.json()
    order.erp_job_id = data["job_id"]
    order.furnace_slot = data.get("furnace_slot")
    order.save(update_fields=["erp_job_id", "furnace_slot"])
    notify_parish_contact.delay(order.pk)
    return order.erp_job_id


@shared_task(name="foundry.notify_parish_contact")
def notify_parish_contact(order_id: int) -> None:
    order = CastingOrder.objects.select_related("parish_contact").get(pk=order_id)
    if not order.furnace_slot:
        return

    body = (
        f"Dear {order.parish_contact.name},\n\n"
        f"Your {order.strike_note} bell ({order.target_weight_kg} kg) is scheduled "
        f"for casting on {order.furnace_slot}. You are welcome to attend the pour.\n\n"
        "Whitechapel Road Bell Foundry"
    )
    try:
        send_mail(
            subject=f"Casting date for {order.reference}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[order.parish_contact.email],
        )
        order.parish_notified = True
        order.save(update_fields=["parish_notified"])
    except Exception:
        pass
