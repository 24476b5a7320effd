# reservations/services.py
"""Pre-booked parking: reserve a bay, pay from the prepaid wallet, release expired holds."""
import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Bay, BayHold, Reservation, Wallet, WalletEntry

log = logging.getLogger(__name__)
HOLD_TTL = timedelta(minutes=8)


class BayUnavailable(Exception):
    pass


class InsufficientFunds(Exception):
    pass


def hold_bay(garage_id, bay_type, driver, starts_at, ends_at):
    """Pick a free bay and hold it while the driver confirms."""
    with transaction.atomic():
        bay = (
            Bay.objects.select_for_update(skip_locked=True)
            .filter(garage_id=garage_id, bay_type=bay_type, active=True)
            .exclude(reservations__starts_at__lt=ends_at, reservations__ends_at__gt=starts_at)
            .exclude(holds__expires_at__gt=timezone.now())
            .order_by("level", "number")
            .first()
        )
        if bay is None:
            raise BayUnavailable()
        return BayHold.objects.create(
            bay=bay, driver=driver, starts_at=starts_at, ends_at=ends_at,
            expires_at=timezone.now() + HOLD_TTL,
        )


def confirm(hold_id, driver):
    with transaction.atomic():
        hold = BayHold.objects.select_for_update().get(pk=hold_id, driver=driver)
        if hold.expires_at <= timezone.now():
            raise BayUnavailable("hold expired")
        price = hold.bay.price_for(hold.starts_at, hold.ends_at)

        updated = Wallet.objects.filter(owner=driver, balance__gte=price).update(
            balance=F("balance") - price
        )
        if updated == 0:
            raise InsufficientFunds()
        WalletEntry.objects.create(wallet_id=driver.wallet_id, amount=-price, kind="reservation")

        try:
            # unique constraint on (bay, starts_at) backs up the overlap check
            reservation = Reservation.objects.create(
                bay=hold.bay, driver=driver, starts_at=hold.starts_at, ends_at=hold.ends_at, price=price
            )
        except IntegrityError:
            log.info("bay %s double-booked at %s, rolling back", hold.bay_id, hold.starts_at)
            raise BayUnavailable("bay was just taken")
        hold.delete()
        return reservation


def purge_expired_holds():
    """Called every minute by celery beat (see CELERY_BEAT_SCHEDULE['purge-bay-holds'])."""
    deleted, _ = BayHold.objects.filter(expires_at__lt=timezone.now() - timedelta(minutes=5)).delete()
    if deleted:
        log.info("purged %d expired bay holds", deleted)
    return deleted
