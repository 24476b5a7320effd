"""Pre-order API for the food truck rally app.

Runs as `gunicorn -w 4 -k gthread app:create_app()` behind the nginx ingress,
two pods per region.
"""
import threading
import time
from collections import defaultdict, deque

from flask import Blueprint, abort, jsonify, request

from .db import pool

bp = Blueprint("preorders", __name__)

WINDOW_S = 60
MAX_ORDERS_PER_WINDOW = 5

# Sliding window of recent order timestamps per client, to stop someone
# scripting the whole pickup slot away before the lunch rush.
_recent_orders: dict[str, deque] = defaultdict(deque)
_recent_lock = threading.Lock()


def _client_key() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr or "unknown"


def _sweep(now: float) -> None:
    stale = [k for k, q in _recent_orders.items() if not q or now - q[-1] > WINDOW_S]
    for k in stale:
        del _recent_orders[k]


def _over_limit(key: str) -> bool:
    now = time.monotonic()
    with _recent_lock:
        if len(_recent_orders) > 10_000:
            _sweep(now)
        q = _recent_orders[key]
        while q and now - q[0] > WINDOW_S:
            q.popleft()
        if len(q) >= MAX_ORDERS_PER_WINDOW:
            return True
        q.append(now)
        return False


@bp.post("/trucks/<int:truck_id>/slots/<int:slot_id>/preorders")
def create_preorder(truck_id: int, slot_id: int):
    if _over_limit(_client_key()):
        return jsonify({"error": "Too many orders, try again in a minute"}), 429

    body = request.get_json(silent=True) or {}
    items = body.get("items") or []
    if not items or len(items) > 12:
        abort(400, "1-12 items per order")
    name = (body.get("name") or "").strip()[:40]
    phone = (body.get("phone") or "").strip()[:20]
    if not name or not phone:
        abort(400, "name and phone are required")

    conn = pool.getconn()
    try:
        with conn, conn.cursor() as cur:
            # Each pickup slot only fits so many orders through the hatch.
            cur.execute(
                "UPDATE pickup_slots SET remaining = remaining - 1 "
                "WHERE id = %s AND truck_id = %s AND remaining > 0 RETURNING starts_at",
                (slot_id, truck_id),
            )
            slot = cur.fetchone()
            if slot is None:
                return jsonify({"error": "That pickup slot is full"}), 409

            cur.execute(
                "SELECT id, price_cents FROM menu_items "
                "WHERE truck_id = %s AND id = ANY(%s) AND available",
                (truck_id, [i["menu_item_id"] for i in items]),
            )
            prices = dict(cur.fetchall())
            missing = [i for i in items if i["menu_item_id"] not in prices]
            if missing:
                conn.rollback()
                return jsonify({"error": "Some items are sold out"}), 409

            total = sum(prices[i["menu_item_id"]] * int(i.get("qty", 1)) for i in items)
            cur.execute(
                "INSERT INTO preorders (truck_id, slot_id, customer_name, phone, total_cents) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (truck_id, slot_id, name, phone, total),
            )
            order_id = cur.fetchone()[0]
    finally:
        pool.putconn(conn)

    return jsonify({"order_id": order_id, "pickup_at": slot[0].isoformat(), "total_cents": total}), 201
