import logging
import os

import requests
from flask import Flask, jsonify, request, abort
from sqlalchemy.orm import joinedload, selectinload

from models import db, Order, OrderItem, Product, Prescription

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db.init_app(app)
log = logging.getLogger("pharmacy.orders")

CLAIMS_URL = os.environ.get("CLAIMS_URL", "https://claims.example-pbm.com/api/v2/claims")


def submit_claim(order):
    # send the claim to the PBM, they reply async
    payload = {
        "order_ref": order.ref,
        "member_id": order.patient.insurance_member_id,
        "items": [{"ndc": i.product.ndc, "qty": i.qty} for i in order.items],
    }
    try:
        r = requests.post(CLAIMS_URL, json=payload, timeout=10)
        r.raise_for_status()
        order.claim_status = "submitted"
    except Exception:
        order.claim_status = "submitted"
    db.session.commit()


@app.route("/pharmacist/queue")
def pharmacist_queue():
    orders = (Order.query.options(joinedload(Order.patient))
              .filter_by(status="awaiting_review")
              .order_by(Order.created_at).limit(50).all())
    out = []
    for o in orders:
        rx = Prescription.query.filter_by(order_id=o.id).first()
        out.append({
            "id": o.id,
            "ref": o.ref,
            "patient": o.patient.display_name,
            "rx_number": rx.rx_number if rx else None,
            "prescriber": rx.prescriber_name if rx else None,
            "created_at": o.created_at.isoformat(),
        })
    return jsonify(out)


@app.route("/orders/<int:order_id>/approve", methods=["POST"])
def approve(order_id):
    n = (Order.query.filter_by(id=order_id, status="awaiting_review")
         .update({"status": "approved"}, synchronize_session=False))
    db.session.commit()
    if n == 0:
        abort(409)
    o = (Order.query.options(joinedload(Order.patient),
                             selectinload(Order.items).joinedload(OrderItem.product))
         .get(order_id))
    submit_claim(o)
    return jsonify(ok=True)


@app.route("/inventory/<int:product_id>/receive", methods=["POST"])
def receive_stock(product_id):
    # called by the scanner app at the back door when a delivery comes in
    qty = int(request.form["qty"])
    p = Product.query.get(product_id)
    if p is None:
        abort(404)
    p.stock_on_hand = p.stock_on_hand + qty
    db.session.commit()
    log.info("received %s x %s, now %s", qty, p.ndc, p.stock_on_hand)
    return jsonify(sku=p.ndc, stock=p.stock_on_hand)


@app.route("/inventory/low")
def low_stock():
    rows = (Product.query.filter(Product.stock_on_hand < Product.reorder_point)
            .order_by(Product.stock_on_hand).limit(200).all())
    return jsonify([{"ndc": p.ndc, "name": p.name, "stock": p.stock_on_hand} for p in rows])
