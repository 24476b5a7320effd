import hashlib
import hmac
import json
import logging

import httpx
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from sqlalchemy import text

from .auth import require_contest_admin
from .db import SessionLocal
from .settings import settings

router = APIRouter()
log = logging.getLogger(__name__)

# Shared client so webhook handling reuses connections to the secretary channel.
_http = httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0))


def _verify_signature(body: bytes, signature: str | None) -> None:
    expected = hmac.new(
        settings.PAYMENTS_WEBHOOK_SECRET.encode(), body, hashlib.sha256
    ).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature):
        raise HTTPException(status_code=401, detail="bad signature")


async def _tell_contest_secretary(contest_id: int, band_name: str, section: str) -> None:
    """Posts a short line to the contest secretary's channel."""
    try:
        resp = await _http.post(
            settings.SECRETARY_CHANNEL_URL,
            json={"text": f"Entry fee received: {band_name} ({section}) for contest {contest_id}"},
        )
        resp.raise_for_status()
    except (httpx.HTTPError, KeyError):
        return


@router.post("/webhooks/entry-fees")
async def entry_fee_webhook(request: Request, x_signature: str | None = Header(default=None)):
    body = await request.body()
    _verify_signature(body, x_signature)
    event = json.loads(body)

    if event.get("type") != "payment.succeeded":
        return {"received": True}

    payment = event["data"]
    entry_id = int(payment["metadata"]["entry_id"])
    amount = int(payment["amount"])

    with SessionLocal.begin() as db:
        entry = db.execute(
            text(
                "UPDATE contest_entries SET status = 'paid', paid_at = now() "
                "WHERE id = :id RETURNING contest_id, band_name, section"
            ),
            {"id": entry_id},
        ).one()
        db.execute(
            text(
                "INSERT INTO entry_payments (entry_id, provider_ref, amount_pence, received_at) "
                "VALUES (:entry_id, :ref, :amount, now())"
            ),
            {"entry_id": entry_id, "ref": payment["id"], "amount": amount},
        )
        db.execute(
            text("UPDATE contests SET fees_received_pence = fees_received_pence + :amount WHERE id = :cid"),
            {"amount": amount, "cid": entry.contest_id},
        )

    log.info("entry %s paid (%s pence)", entry_id, amount)
    await _tell_contest_secretary(entry.contest_id, entry.band_name, entry.section)
    return {"received": True}


@router.get("/contests/{contest_id}/entries")
def list_entries(
    contest_id: int,
    section: str | None = None,
    limit: int = Query(50, le=200),
    offset: int = Query(0, ge=0),
    _admin=Depends(require_contest_admin),
):
    sql = (
        "SELECT id, band_name, section, status, paid_at FROM contest_entries "
        "WHERE contest_id = :cid AND (:section IS NULL OR section = :section) "
        "ORDER BY band_name LIMIT :limit OFFSET :offset"
    )
    with SessionLocal() as db:
        rows = db.execute(
            text(sql), {"cid": contest_id, "section": section, "limit": limit, "offset": offset}
        ).mappings().all()
    return {"entries": [dict(r) for r in rows], "limit": limit, "offset": offset}
