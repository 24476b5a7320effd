# is this safe if a walker double-taps "Cash out" and two requests hit at once?
from django.db import transaction
from django.db.models import F

from wallets.models import Payout, WalkerWallet


def request_payout(walker_id: int, amount_cents: int) -> bool:
    with transaction.atomic():
        updated = (
            WalkerWallet.objects
            .filter(walker_id=walker_id, balance_cents__gte=amount_cents)
            .update(balance_cents=F("balance_cents") - amount_cents)
        )
        if updated == 0:
            return False  # insufficient balance
        Payout.objects.create(walker_id=walker_id, amount_cents=amount_cents, status="pending")
    return True
