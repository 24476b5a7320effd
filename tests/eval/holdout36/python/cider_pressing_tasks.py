import logging
import time

import requests
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from orchard.models import Pressing, PressingShare

log = logging.getLogger(__name__)

# One pooled session per worker process.
http = requests.Session()
http.headers.update({"Authorization": f"Token {settings.SHOP_API_TOKEN}"})

SHOP_STOCK_URL = settings.SHOP_BASE_URL + "/api/stock-items/"


@shared_task
def publish_pressing_to_shop(pressing_id: int) -> None:
    """Once a pressing is bottled, list the spare bottles in the orchard's online shop."""
    pressing = Pressing.objects.select_related("orchard").get(pk=pressing_id)
    spare = pressing.bottles_filled - pressing.bottles_reserved_for_members
    if spare <= 0:
        return

    body = {
        "sku": f"CIDER-{pressing.orchard.code}-{pressing.pressed_on:%Y%m%d}",
        "title": f"{pressing.orchard.name} {pressing.pressed_on:%Y} {pressing.style}",
        "quantity": spare,
        "price_pence": pressing.bottle_price_pence,
    }

    attempt = 0
    while True:
        attempt += 1
        try:
            resp = http.put(SHOP_STOCK_URL + body["sku"], json=body, timeout=10)
            resp.raise_for_status()
            break
        except requests.RequestException as exc:
            log.warning("shop listing attempt %s for pressing %s failed: %s", attempt, pressing_id, exc)
            time.sleep(2)

    Pressing.objects.filter(pk=pressing_id).update(listed_in_shop=True)


@shared_task
def notify_share_holders(pressing_id: int) -> int:
    """Email everyone with a share in this pressing that their bottles are ready."""
    shares = (
        PressingShare.objects.filter(pressing_id=pressing_id, notified_at__isnull=True)
        .select_related("member")
        .order_by("id")[:500]
    )
    notified = []
    with get_connection(timeout=20) as smtp:
        for share in shares:
            message = EmailMessage(
                subject="Your cider is ready to collect",
                body=(
                    f"Hello {share.member.first_name},\n\n"
                    f"Your {share.bottles} bottles from the {share.pressing_id} pressing "
                    "are ready at the barn on Saturday mornings.\n"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[share.member.email],
                connection=smtp,
            )
            try:
                message.send()
            except Exception:
                continue
            notified.append(share.pk)

    if notified:
        PressingShare.objects.filter(pk__in=notified).update(notified_at=timezone.now())
    return len(notified)
