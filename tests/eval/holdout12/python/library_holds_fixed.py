"""
The race happens because two requests both count the ready holds, both see one
copy free, and both insert. The fix is to serialize hold placement per book by
locking the book row for the duration of the transaction. I've also added the
cleanup job so expired pickups release their copy and old rows get purged.

holds/services.py + holds/tasks.py
"""
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import Book, Hold

PICKUP_DAYS = 7


class NoCopyAvailable(Exception):
    pass


def place_hold(book_id: int, patron_id: int, branch_id: int) -> Hold:
    with transaction.atomic():
        # Row lock: concurrent place_hold calls for the same book queue up here.
        book = Book.objects.select_for_update().get(pk=book_id, branch_id=branch_id)
        ready = Hold.objects.filter(book=book, status=Hold.READY).count()
        if ready >= book.copies_on_shelf:
            raise NoCopyAvailable(book_id)
        return Hold.objects.create(
            book=book,
            patron_id=patron_id,
            status=Hold.READY,
            pickup_by=timezone.now() + timedelta(days=PICKUP_DAYS),
        )


def collect(hold_id: int, patron_id: int) -> None:
    updated = (Hold.objects
               .filter(pk=hold_id, patron_id=patron_id, status=Hold.READY,
                       pickup_by__gt=timezone.now())
               .update(status=Hold.COLLECTED, collected_at=timezone.now()))
    if updated != 1:
        raise Hold.DoesNotExist(hold_id)


# celery beat: "expire-holds" every 15 minutes, "purge-holds" daily at 03:30
@shared_task
def expire_holds() -> int:
    return (Hold.objects
            .filter(status=Hold.READY, pickup_by__lte=timezone.now())
            .update(status=Hold.EXPIRED))


@shared_task
def purge_old_holds() -> int:
    cutoff = timezone.now() - timedelta(days=90)
    deleted, _ = Hold.objects.filter(
        status__in=[Hold.EXPIRED, Hold.COLLECTED], pickup_by__lt=cutoff
    ).delete()
    return deleted
