"""
Stock reservation + coupon redemption for checkout.

All the "is there enough / was it used already" decisions are made by the
database in a single statement, so concurrent checkouts can't oversell or
double-redeem. Expired cart reservations are released by a Celery beat task.
"""
from datetime import datetime, timedelta, timezone

from celery import shared_task
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, conint
from sqlalchemy import text
from sqlalchemy.orm import Session

from shop.auth import current_user
from shop.db import SessionLocal, get_session

router = APIRouter(prefix="/cart")
RESERVATION_TTL = timedelta(minutes=15)


class ReserveIn(BaseModel):
    product_id: int
    qty: conint(gt=0, le=20)


class CouponIn(BaseModel):
    code: str


@router.post("/reserve")
def reserve(body: ReserveIn, db: Session = Depends(get_session), user=Depends(current_user)):
    expires_at = datetime.now(timezone.utc) + RESERVATION_TTL
    with db.begin():
        taken = db.execute(
            text("UPDATE products SET stock = stock - :qty "
                 "WHERE id = :pid AND stock >= :qty"),
            {"qty": body.qty, "pid": body.product_id},
        )
        if taken.rowcount != 1:
            raise HTTPException(409, "Not enough stock")
        db.execute(
            text("INSERT INTO cart_reservations (user_id, product_id, qty, expires_at) "
                 "VALUES (:uid, :pid, :qty, :exp)"),
            {"uid": user.id, "pid": body.product_id, "qty": body.qty, "exp": expires_at},
        )
    return {"reserved": body.qty, "expires_at": expires_at.isoformat()}


@router.post("/coupon")
def redeem_coupon(body: CouponIn, db: Session = Depends(get_session), user=Depends(current_user)):
    with db.begin():
        # one redemption per user per coupon: UNIQUE (coupon_id, user_id)
        redeemed = db.execute(
            text("INSERT INTO coupon_redemptions (coupon_id, user_id) "
                 "SELECT c.id, :uid FROM coupons c "
                 "WHERE c.code = :code AND c.valid_until > now() "
                 "ON CONFLICT (coupon_id, user_id) DO NOTHING "
                 "RETURNING coupon_id"),
            {"uid": user.id, "code": body.code.strip().upper()},
        ).first()
        if redeemed is None:
            raise HTTPException(409, "Coupon is invalid or already used")

        # global cap on total uses, decided atomically as well
        capped = db.execute(
            text("UPDATE coupons SET uses = uses + 1 "
                 "WHERE id = :cid AND (max_uses IS NULL OR uses < max_uses)"),
            {"cid": redeemed.coupon_id},
        )
        if capped.rowcount != 1:
            raise HTTPException(409, "Coupon has been fully redeemed")  # rolls back the insert
    return {"applied": True}


@shared_task(name="checkout.release_expired_reservations")
def release_expired_reservations(batch_size: int = 5000) -> int:
    """Scheduled every minute from celery beat: give stock back for abandoned carts."""
    with SessionLocal() as db, db.begin():
        released = db.execute(
            text("""
                WITH expired AS (
                    DELETE FROM cart_reservations
                    WHERE id IN (SELECT id FROM cart_reservations
                                 WHERE expires_at < now()
                                 ORDER BY expires_at LIMIT :n
                                 FOR UPDATE SKIP LOCKED)
                    RETURNING product_id, qty
                )
                UPDATE products p SET stock = p.stock + e.qty
                FROM (SELECT product_id, sum(qty) AS qty FROM expired GROUP BY product_id) e
                WHERE p.id = e.product_id
            """),
            {"n": batch_size},
        )
    return released.rowcount
