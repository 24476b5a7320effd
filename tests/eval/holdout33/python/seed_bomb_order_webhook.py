# Webhook receiver for the "Meadow Makers" wildflower seed bomb shop.
# The storefront posts orders/paid after checkout; we decrement seed stock,
# queue the parcel for the Saturday packing session and email the buyer.
import base64
import hashlib
import hmac
import json
import logging

import httpx
from fastapi import APIRouter, Header, HTTPException, Request
from sqlalchemy import text

from .db import engine
from .settings import settings

log = logging.getLogger(__name__)
router = APIRouter()

mailer = httpx.AsyncClient(
    base_url="https://api.postmarkapp.com",
    headers={"X-Postmark-Server-Token": settings.postmark_token},
    timeout=httpx.Timeout(10.0, connect=3.0),
)


def verify_signature(raw: bytes, header_sig: str) -> None:
    digest = hmac.new(settings.shop_webhook_secret.encode(), raw, hashlib.sha256).digest()
    expected = base64.b64encode(digest).decode()
    if not hmac.compare_digest(expected, header_sig):
        raise HTTPException(status_code=401, detail="bad signature")


async def send_confirmation_email(order: dict) -> None:
    resp = await mailer.post(
        "/email/withTemplate",
        json={
            "From": "orders@meadowmakers.org.uk",
            "To": order["email"],
            "TemplateAlias": "seed-bomb-order",
            "TemplateModel": {
                "name": order["customer"]["first_name"],
                "order_number": order["order_number"],
                "items": [li["title"] for li in order["line_items"]],
            },
        },
    )
    resp.raise_for_status()


@router.post("/webhooks/shop/orders-paid")
async def orders_paid(request: Request, x_shop_hmac_sha256: str = Header(...)):
    raw = await request.body()
    verify_signature(raw, x_shop_hmac_sha256)
    order = json.loads(raw)

    stock_rows = [
        {"sku": li["sku"], "grams": li["quantity"] * li["grams"]}
        for li in order["line_items"]
    ]

    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE seed_mixes SET stock_grams = stock_grams - :grams WHERE sku = :sku"),
            stock_rows,
        )
        await conn.execute(
            text(
                "INSERT INTO packing_queue (order_number, postcode, parcel_weight_g, created_at) "
                "VALUES (:order_number, :postcode, :weight, now())"
            ),
            {
                "order_number": order["order_number"],
                "postcode": order["shipping_address"]["zip"],
                "weight": sum(r["grams"] for r in stock_rows) + 40,
            },
        )

    email_status = "sent"
    try:
        await send_confirmation_email(order)
    except (httpx.HTTPError, KeyError):
        email_status = "skipped"

    return {"ok": True, "email": email_status}
