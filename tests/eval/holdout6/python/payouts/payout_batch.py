"""
Weekly seller payouts for the marketplace.

Design notes:
- `schedule_weekly_payouts` walks sellers in pages of 500 and runs ONE aggregate
  query per page (not per seller), then enqueues one Celery task per seller.
- `pay_seller` locks the account row (SELECT ... FOR UPDATE), creates the Payout
  with a unique idempotency key and debits with an F() expression, so a retried
  or duplicated task can never pay twice.
- PSP errors are logged and re-raised so Celery's backoff can retry them.
"""
import logging

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from .models import LedgerEntry, Payout, SellerAccount
from .psp import PSPTemporaryError, psp_client

logger = logging.getLogger(__name__)

PAGE_SIZE = 500
MIN_PAYOUT_CENTS = 1000


@shared_task
def schedule_weekly_payouts(period: str) -> int:
    queued = 0
    last_id = 0
    while True:
        seller_ids = list(
            SellerAccount.objects.filter(id__gt=last_id, payouts_enabled=True)
            .order_by("id")
            .values_list("id", flat=True)[:PAGE_SIZE]
        )
        if not seller_ids:
            break
        totals = (
            LedgerEntry.objects.filter(seller_id__in=seller_ids, settled=False)
            .values("seller_id")
            .annotate(total=Sum("amount_cents"))
        )
        for row in totals:
            if row["total"] >= MIN_PAYOUT_CENTS:
                pay_seller.delay(row["seller_id"], period)
                queued += 1
        last_id = seller_ids[-1]
    logger.info("period %s: queued %d payouts", period, queued)
    return queued


@shared_task(
    autoretry_for=(PSPTemporaryError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def pay_seller(seller_id: int, period: str) -> None:
    idem_key = f"payout:{seller_id}:{period}"

    with transaction.atomic():
        acct = SellerAccount.objects.select_for_update().get(pk=seller_id)
        amount = acct.available_cents
        if amount < MIN_PAYOUT_CENTS:
            return
        try:
            with transaction.atomic():
                payout = Payout.objects.create(
                    seller=acct, amount_cents=amount, idempotency_key=idem_key, status="pending"
                )
        except IntegrityError:
            # unique(idempotency_key): this period was already paid out
            logger.info("payout %s already exists, skipping", idem_key)
            return
        SellerAccount.objects.filter(pk=seller_id).update(
            available_cents=F("available_cents") - amount
        )

    try:
        transfer = psp_client.transfer(
            destination=acct.psp_account_id,
            amount_cents=amount,
            idempotency_key=idem_key,
        )
    except PSPTemporaryError:
        logger.warning("PSP temporary failure for %s, will retry", idem_key)
        raise
    except Exception:
        logger.exception("payout %s failed permanently", idem_key)
        Payout.objects.filter(pk=payout.pk).update(status="failed")
        raise

    Payout.objects.filter(pk=payout.pk).update(status="sent", psp_transfer_id=transfer.id)
