from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, jsonify, request
from flask_mail import Message
from sqlalchemy import text

from .extensions import db, mail
from .models import Fridge, StockItem, StockLog

bp = Blueprint("stock", __name__, url_prefix="/api/fridges")

LOW_STOCK_THRESHOLD = 3


def _notify_low_stock(fridge: Fridge, item: StockItem) -> None:
    """Email the fridge's volunteer coordinator when an item runs low."""
    msg = Message(
        subject=f"[{fridge.name}] {item.label} is running low",
        recipients=[fridge.coordinator_email],
        body=f"Only {item.quantity} x {item.label} left in {fridge.name}.",
    )
    try:
        mail.send(msg)
    except Exception:
        return


@bp.post("/<int:fridge_id>/items/<int:item_id>/restock")
def restock_item(fridge_id: int, item_id: int):
    """A volunteer drops off donations and logs how many they added."""
    added = int(request.json.get("quantity", 0))
    if added <= 0 or added > 200:
        abort(400, "quantity must be between 1 and 200")

    item = StockItem.query.filter_by(id=item_id, fridge_id=fridge_id).first_or_404()
    item.quantity = item.quantity + added
    item.updated_at = datetime.now(timezone.utc)

    db.session.add(StockLog(
        fridge_id=fridge_id,
        item_id=item.id,
        delta=added,
        volunteer_id=request.json.get("volunteer_id"),
        note=request.json.get("note", "")[:200],
    ))
    db.session.commit()
    return jsonify(id=item.id, quantity=item.quantity)


@bp.post("/<int:fridge_id>/items/<int:item_id>/take")
def take_item(fridge_id: int, item_id: int):
    """Someone takes food; only decrement if enough is left."""
    taken = int(request.json.get("quantity", 1))
    result = db.session.execute(
        text(
            "UPDATE stock_items SET quantity = quantity - :taken, updated_at = now() "
            "WHERE id = :item_id AND fridge_id = :fridge_id AND quantity >= :taken "
            "RETURNING quantity"
        ),
        {"taken": taken, "item_id": item_id, "fridge_id": fridge_id},
    ).first()
    if result is None:
        db.session.rollback()
        abort(409, "not enough left")

    db.session.add(StockLog(fridge_id=fridge_id, item_id=item_id, delta=-taken))
    db.session.commit()

    remaining = result.quantity
    if remaining <= LOW_STOCK_THRESHOLD:
        fridge = db.session.get(Fridge, fridge_id)
        item = db.session.get(StockItem, item_id)
        _notify_low_stock(fridge, item)
    return jsonify(id=item_id, quantity=remaining)


@bp.get("/<int:fridge_id>/logs")
def recent_logs(fridge_id: int):
    limit = min(int(request.args.get("limit", 50)), 200)
    logs = (
        StockLog.query.filter_by(fridge_id=fridge_id)
        .order_by(StockLog.created_at.desc())
        .limit(limit)
        .all()
    )
    current_app.logger.debug("served %d logs for fridge %s", len(logs), fridge_id)
    return jsonify([log.to_dict() for log in logs])
