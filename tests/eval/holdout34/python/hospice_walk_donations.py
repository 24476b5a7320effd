"""Hospice sunrise walk - sponsorship donations.

The giving platform POSTs a `donation.succeeded` event for every sponsor
payment. We record the donation against the walker, bump the walker's total
for the leaderboard, and tell the fundraising CRM so the thank-you letter
goes out with Gift Aid details.
"""
import asyncio
import hashlib
import hmac
import logging
import os

import httpx
from fastapi import APIRouter, HTTPException, Request

from .db import pool  # asyncpg pool created at startup

log = logging.getLogger("walk.donations")
router = APIRouter()

WEBHOOK_SECRET = os.environ["GIVING_WEBHOOK_SECRET"].encode()
CRM_URL = os.environ["CRM_URL"]
crm_client = httpx.AsyncClient(base_url=CRM_URL, timeout=10.0)


def _verify(raw: bytes, signature: str) -> None:
    expected = hmac.new(WEBHOOK_SECRET, raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature or ""):
        raise HTTPException(status_code=401, detail="bad signature")


async def _notify_crm(payload: dict) -> None:
    for attempt in range(5):
        try:
            resp = await crm_client.post("/api/gifts", json=payload)
            resp.raise_for_status()
            return
        except httpx.HTTPError as exc:
            log.warning("CRM push failed (attempt %s): %s", attempt + 1, exc)
            await asyncio.sleep(2)
    raise RuntimeError("CRM unavailable after 5 attempts")


@router.post("/webhooks/giving")
async def giving_webhook(request: Request):
    raw = await request.body()
    _verify(raw, request.headers.get("X-Giving-Signature"))
    event = await request.json()

    if event.get("type") != "donation.succeeded":
        return {"ignored": True}

    donation = event["data"]
    walker_id = int(donation["metadata"]["walker_id"])
    amount_pence = int(donation["amount"])

    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute(
                """
                INSERT INTO sponsor_donations
                    (walker_id, platform_event_id, donor_name, amount_pence, gift_aid)
                VALUES ($1, $2, $3, $4, $5)
                """,
                walker_id,
                event["id"],
                donation.get("donor_name") or "Anonymous",
                amount_pence,
                bool(donation.get("gift_aid")),
            )
            await conn.execute(
                "UPDATE walkers SET raised_pence = raised_pence + $1 WHERE id = $2",
                amount_pence,
                walker_id,
            )

    await _notify_crm(
        {
            "source": "sunrise-walk",
            "walker_id": walker_id,
            "amount_pence": amount_pence,
            "gift_aid": bool(donation.get("gift_aid")),
            "donor": donation.get("donor_name"),
        }
    )
    return {"ok": True}


@router.get("/walk/leaderboard")
async def leaderboard():
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT id, display_name, raised_pence FROM walkers "
            "ORDER BY raised_pence DESC LIMIT 25"
        )
    return [dict(r) for r in rows]
