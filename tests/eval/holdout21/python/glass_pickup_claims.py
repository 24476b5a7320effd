"""Glass recycling pickups: drivers claim open pickups from the route board.

Several councils share this service; request handlers are always scoped by
the council of the signed-in driver (g.council_id, set by the auth hook).
"""
import logging
import os

from celery import shared_task
from flask import Blueprint, g, jsonify, request
from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)
bp = Blueprint("pickups", __name__, url_prefix="/api/pickups")

pool = ConnectionPool(
    os.environ["DATABASE_URL"],
    min_size=2,
    max_size=10,
    timeout=5,
    kwargs={"connect_timeout": 5, "options": "-c statement_timeout=5000"},
)
CLAIM_MINUTES = 45
PAGE_SIZE = 100


@bp.get("/open")
def open_pickups():
    depot_id = request.args.get("depot", type=int)
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT id, address, crates, window_start, window_end FROM pickups "
            "WHERE council_id = %s AND depot_id = %s AND status = 'open' "
            "ORDER BY window_start LIMIT %s",
            (g.council_id, depot_id, PAGE_SIZE),
        ).fetchall()
    return jsonify(
        [
            {"id": r[0], "address": r[1], "crates": r[2],
             "window": [r[3].isoformat(), r[4].isoformat()]}
            for r in rows
        ]
    )


@bp.post("/<int:pickup_id>/claim")
def claim_pickup(pickup_id: int):
    # The status check and the claim are one statement, so two drivers tapping
    # the same pickup at once cannot both get it.
    with pool.connection() as conn:
        row = conn.execute(
            "UPDATE pickups SET status = 'claimed', driver_id = %s, "
            "claim_expires_at = now() + make_interval(mins => %s) "
            "WHERE id = %s AND council_id = %s AND status = 'open' "
            "RETURNING id, address, window_start",
            (g.driver_id, CLAIM_MINUTES, pickup_id, g.council_id),
        ).fetchone()
    if row is None:
        return jsonify(error="already claimed or not found"), 409
    return jsonify(id=row[0], address=row[1], window_start=row[2].isoformat()), 200


@bp.post("/<int:pickup_id>/complete")
def complete_pickup(pickup_id: int):
    crates = int(request.get_json(force=True)["crates_collected"])
    with pool.connection() as conn:
        cur = conn.execute(
            "UPDATE pickups SET status = 'collected', collected_crates = %s, collected_at = now() "
            "WHERE id = %s AND council_id = %s AND driver_id = %s AND status = 'claimed' "
            "RETURNING depot_id",
            (crates, pickup_id, g.council_id, g.driver_id),
        )
        done = cur.fetchone()
        if done is None:
            return jsonify(error="pickup is not claimed by you"), 409
        conn.execute(
            "UPDATE depots SET crates_today = crates_today + %s WHERE id = %s AND council_id = %s",
            (crates, done[0], g.council_id),
        )
    return jsonify(status="collected")


@shared_task(name="pickups.release_expired_claims")
def release_expired_claims():
    """Celery beat, every 5 minutes, for all councils: unfinished claims go back on the board."""
    with pool.connection() as conn:
        cur = conn.execute(
            "UPDATE pickups SET status = 'open', driver_id = NULL, claim_expires_at = NULL "
            "WHERE status = 'claimed' AND claim_expires_at < now()"
        )
    log.info("released %d expired pickup claims", cur.rowcount)


@shared_task(name="pickups.purge_driver_pings")
def purge_driver_pings():
    """Celery beat, nightly: GPS pings are only needed for a week of route replays."""
    with pool.connection() as conn:
        cur = conn.execute("DELETE FROM driver_pings WHERE expires_at < now()")
    log.info("deleted %d expired driver pings", cur.rowcount)
