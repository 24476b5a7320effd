# saunas/services.py
#
# Booking flow for the Seafront Community Sauna: a member picks a session,
# we hold a bench for 10 minutes while they pay by card, then confirm.
# The app runs on 3 pods (Kubernetes, replicas: 3) behind the ingress.
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

HOLD_MINUTES = 10


@dataclass
class PendingHold:
    hold_id: int
    session_id: int
    member_id: int
    created_at: object


# token -> hold awaiting card payment confirmation
_pending_confirmations: dict[str, PendingHold] = {}


class SessionFull(Exception):
    pass


class HoldExpired(Exception):
    pass


def place_hold(session_id: int, member_id: int) -> str:
    """Hold one bench in a session and return a token for the payment page."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "SELECT benches FROM sauna_sessions WHERE id = %s FOR UPDATE",
            [session_id],
        )
        (benches,) = cur.fetchone()
        cur.execute(
            "SELECT count(*) FROM sauna_holds WHERE session_id = %s AND expires_at > now()",
            [session_id],
        )
        (held,) = cur.fetchone()
        cur.execute(
            "SELECT count(*) FROM sauna_bookings WHERE session_id = %s",
            [session_id],
        )
        (booked,) = cur.fetchone()
        if held + booked >= benches:
            raise SessionFull(session_id)

        cur.execute(
            "INSERT INTO sauna_holds (session_id, member_id, expires_at) VALUES (%s, %s, now() + interval '10 minutes') RETURNING id",
            [session_id, member_id],
        )
        (hold_id,) = cur.fetchone()

    token = secrets.token_urlsafe(24)
    _pending_confirmations[token] = PendingHold(
        hold_id=hold_id,
        session_id=session_id,
        member_id=member_id,
        created_at=timezone.now(),
    )
    return token


def confirm_hold(token: str, payment_ref: str) -> int:
    """Called from the card provider's return URL once payment succeeded."""
    pending = _pending_confirmations.pop(token, None)
    if pending is None:
        raise HoldExpired(token)
    if timezone.now() - pending.created_at > timedelta(minutes=HOLD_MINUTES):
        raise HoldExpired(token)

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO sauna_bookings (session_id, member_id, payment_ref) "
            "VALUES (%s, %s, %s) RETURNING id",
            [pending.session_id, pending.member_id, payment_ref],
        )
        (booking_id,) = cur.fetchone()
        cur.execute(
            "UPDATE sauna_holds SET converted_booking_id = %s WHERE id = %s",
            [booking_id, pending.hold_id],
        )
    return booking_id
