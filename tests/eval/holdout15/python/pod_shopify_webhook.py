"""Shopify `orders/paid` webhook for PrintPress (print-on-demand).

Shopify retries a webhook up to 19 times over 48 h and may deliver the same
event twice, so every delivery is recorded in `webhook_deliveries` keyed by
the X-Shopify-Webhook-Id header before anything else happens. The insert and
the order/print-job writes share one transaction: if they fail, the delivery
row rolls back too and the retry gets processed.
"""
import base64
import hashlib
import hmac
import json
import logging
import os
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, Header, HTTPException, Request, Response

log = logging.getLogger("printpress.webhooks")
SHOPIFY_SECRET = os.environ["SHOPIFY_WEBHOOK_SECRET"].encode()


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=2, max_size=10, command_timeout=10
    )
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


def _verify(body: bytes, header_hmac: str) -> bool:
    digest = hmac.new(SHOPIFY_SECRET, body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), header_hmac or "")


@app.post("/webhooks/shopify/orders-paid")
async def orders_paid(
    request: Request,
    x_shopify_hmac_sha256: str = Header(...),
    x_shopify_webhook_id: str = Header(...),
    x_shopify_shop_domain: str = Header(...),
):
    body = await request.body()
    if not _verify(body, x_shopify_hmac_sha256):
        raise HTTPException(401, "bad signature")
    order = json.loads(body)

    async with request.app.state.pool.acquire() as conn:
        async with conn.transaction():
            first_time = await conn.fetchval(
                """INSERT INTO webhook_deliveries (webhook_id, topic, shop_domain, received_at)
                   VALUES ($1, 'orders/paid', $2, now())
                   ON CONFLICT (webhook_id) DO NOTHING
                   RETURNING 1""",
                x_shopify_webhook_id, x_shopify_shop_domain,
            )
            if not first_time:
                log.info("duplicate delivery %s ignored", x_shopify_webhook_id)
                return Response(status_code=200)

            store_id = await conn.fetchval(
                "SELECT id FROM stores WHERE shopify_domain = $1", x_shopify_shop_domain
            )
            if store_id is None:
                raise HTTPException(404, "store not connected")

            order_id = await conn.fetchval(
                """INSERT INTO orders (store_id, shopify_order_id, email, total_cents, status)
                   VALUES ($1, $2, $3, $4, 'paid')
                   ON CONFLICT (store_id, shopify_order_id) DO UPDATE SET status = 'paid'
                   RETURNING id""",
                store_id, order["id"], order.get("email"),
                int(round(float(order["total_price"]) * 100)),
            )
            await conn.executemany(
                """INSERT INTO print_jobs (store_id, order_id, line_item_id, variant_sku, qty, status)
                   VALUES ($1, $2, $3, $4, $5, 'queued')
                   ON CONFLICT (order_id, line_item_id) DO NOTHING""",
                [(store_id, order_id, li["id"], li["sku"], li["quantity"])
                 for li in order["line_items"]],
            )
    return Response(status_code=200)
