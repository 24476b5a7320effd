# food-delivery backend: status callbacks from the courier partner (Dispatchly)
from datetime import datetime

from flask import Blueprint, abort, current_app, jsonify, request

from ..extensions import db
from ..models import CourierPayout, LoyaltyLedger, Order, OrderEvent
from ..notify import push_to_customer

bp = Blueprint("courier_hooks", __name__)

# Dispatchly publishes its egress IPs; only accept callbacks from them
DISPATCHLY_IPS = {"34.91.12.40", "34.91.12.41", "35.204.77.9"}

POINTS_PER_EURO = 10


def _caller_ip():
    fwd = request.headers.get("X-Forwarded-For", "")
    return fwd.split(",")[0].strip() if fwd else request.remote_addr


@bp.route("/hooks/dispatchly/status", methods=["POST"])
def dispatchly_status():
    if _caller_ip() not in DISPATCHLY_IPS:
        abort(403)

    evt = request.get_json(force=True)
    order = Order.query.filter_by(public_id=evt["order_ref"]).first()
    if order is None:
        return jsonify({"ignored": True}), 200

    db.session.add(OrderEvent(order_id=order.id, kind=evt["status"], raw=evt))

    if evt["status"] == "picked_up":
        order.status = "on_the_way"
        push_to_customer(order.customer_id, "Your order is on the way!")

    elif evt["status"] == "delivered":
        order.status = "delivered"
        order.delivered_at = datetime.utcnow()
        # courier gets paid per drop, customer earns loyalty points
        db.session.add(CourierPayout(courier_id=evt["courier_id"], order_id=order.id,
                                     amount=evt.get("fee", order.delivery_fee)))
        db.session.add(LoyaltyLedger(customer_id=order.customer_id,
                                     points=int(order.total * POINTS_PER_EURO),
                                     reason=f"order {order.public_id}"))
        push_to_customer(order.customer_id, "Delivered - enjoy your meal!")

    elif evt["status"] == "failed":
        order.status = "delivery_failed"
        current_app.logger.warning("delivery failed for %s: %s", order.public_id, evt.get("reason"))

    db.session.commit()
    return jsonify({"ok": True})
