"""Entry webhooks for the National Town Crier Championship heats.

The entries platform posts `entry.paid` once a crier's entry fee clears.
We place the crier into the heat they chose and bump that heat's entrant
count. The platform redelivers on any non-2xx and sometimes twice on 2xx.
"""
import hashlib
import hmac
import logging
import os

from fastapi import APIRouter, Header, HTTPException, Request
from sqlalchemy import text

from .db import engine

log = logging.getLogger(__name__)
router = APIRouter()

SIGNING_KEY = os.environ["ENTRIES_SIGNING_KEY"].encode()

# processed_webhook_events(event_id text PRIMARY KEY, received_at timestamptz default now())
RECORD_EVENT = text(
    "INSERT INTO processed_webhook_events (event_id) VALUES (:event_id) "
    "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
)
PLACE_IN_HEAT = text(
    "INSERT INTO heat_entrants (heat_id, crier_id, guild, entry_ref) "
    "VALUES (:heat_id, :crier_id, :guild, :entry_ref) "
    "ON CONFLICT (heat_id, crier_id) DO NOTHING"
)
BUMP_COUNT = text("UPDATE heats SET entrants = entrants + 1 WHERE id = :heat_id")


def _check_signature(body: bytes, signature: str) -> None:
    digest = hmac.new(SIGNING_KEY, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(digest, signature):
        raise HTTPException(status_code=401, detail="invalid signature")


@router.post("/webhooks/entries")
async def entries_webhook(request: Request, x_signature: str = Header(...)):
    body = await request.body()
    _check_signature(body, x_signature)
    event = await request.json()

    if event.get("type") != "entry.paid":
        return {"status": "ignored"}

    data = event["data"]
    try:
        with engine.begin() as conn:
            # The event row and its effects commit or roll back together.
            first_time = conn.execute(RECORD_EVENT, {"event_id": event["id"]}).first()
            if first_time is None:
                log.info("duplicate delivery of %s ignored", event["id"])
                return {"status": "duplicate"}

            placed = conn.execute(
                PLACE_IN_HEAT,
                {
                    "heat_id": data["heat_id"],
                    "crier_id": data["crier_id"],
                    "guild": data.get("guild", "independent"),
                    "entry_ref": data["entry_ref"],
                },
            ).rowcount
            if placed:
                conn.execute(BUMP_COUNT, {"heat_id": data["heat_id"]})
    except Exception:
        log.exception("failed to apply entries event %s", event.get("id"))
        raise

    return {"status": "applied"}
