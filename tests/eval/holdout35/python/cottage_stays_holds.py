"""Lighthouse keeper's cottage stays: short holds while the guest pays.

The booking page places a hold on the requested nights, then the guest has
HOLD_MINUTES to finish checkout before the hold lapses and the nights show
as free again.
"""
from datetime import date, datetime, timedelta, timezone

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import text

from .auth import current_guest, login_required
from .db import engine

bp = Blueprint("cottage_holds", __name__, url_prefix="/cottages")

HOLD_MINUTES = 20
MAX_NIGHTS = 14


def _parse_range(payload: dict) -> tuple[date, date]:
    try:
        arrive = date.fromisoformat(payload["arrive"])
        depart = date.fromisoformat(payload["depart"])
    except (KeyError, TypeError, ValueError):
        abort(400, "arrive and depart must be ISO dates")
    nights = (depart - arrive).days
    if nights < 1 or nights > MAX_NIGHTS:
        abort(400, f"stays are 1 to {MAX_NIGHTS} nights")
    if arrive < date.today():
        abort(400, "arrival date is in the past")
    return arrive, depart


def _quote(conn, cottage_id: int, arrive: date, depart: date) -> int:
    # Nightly rate varies with the season band the night falls in.
    return conn.execute(
        text(
            "SELECT COALESCE(SUM(b.nightly_pence), 0) FROM generate_series(:arrive, :depart - 1, '1 day') AS n(night) "
            "JOIN season_bands b ON b.cottage_id = :cid AND n.night BETWEEN b.starts_on AND b.ends_on"
        ),
        {"cid": cottage_id, "arrive": arrive, "depart": depart},
    ).scalar_one()


@bp.post("/<int:cottage_id>/holds")
@login_required
def place_hold(cottage_id: int):
    arrive, depart = _parse_range(request.get_json(force=True) or {})
    now = datetime.now(timezone.utc)
    guest = current_guest()

    with engine.begin() as conn:
        clash = conn.execute(text("""SELECT id FROM cottage_holds
            WHERE cottage_id = :cid
              AND arrive < :depart AND depart > :arrive
              AND (status = 'confirmed' OR expires_at > :now)
            LIMIT 1"""), {"cid": cottage_id, "arrive": arrive, "depart": depart, "now": now}).first()
        if clash is not None:
            return jsonify(error="Those nights are already taken"), 409

        total = _quote(conn, cottage_id, arrive, depart)
        hold_id = conn.execute(
            text(
                "INSERT INTO cottage_holds (cottage_id, guest_id, arrive, depart, total_pence, status, expires_at) "
                "VALUES (:cid, :gid, :arrive, :depart, :total, 'pending', :expires) RETURNING id"
            ),
            {
                "cid": cottage_id,
                "gid": guest.id,
                "arrive": arrive,
                "depart": depart,
                "total": total,
                "expires": now + timedelta(minutes=HOLD_MINUTES),
            },
        ).scalar_one()

    return jsonify(hold_id=hold_id, total_pence=total, hold_minutes=HOLD_MINUTES), 201


@bp.post("/holds/<int:hold_id>/confirm")
@login_required
def confirm_hold(hold_id: int):
    guest = current_guest()
    with engine.begin() as conn:
        confirmed = conn.execute(
            text(
                "UPDATE cottage_holds SET status = 'confirmed', confirmed_at = now() "
                "WHERE id = :id AND guest_id = :gid AND status = 'pending' AND expires_at > now() "
                "RETURNING cottage_id, arrive, depart"
            ),
            {"id": hold_id, "gid": guest.id},
        ).first()
    if confirmed is None:
        return jsonify(error="This hold has lapsed, please start again"), 410
    return jsonify(
        cottage_id=confirmed.cottage_id,
        arrive=confirmed.arrive.isoformat(),
        depart=confirmed.depart.isoformat(),
    )
