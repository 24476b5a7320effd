"""Receives dive uploads pushed by the dive-computer cloud (DiveSync).

DiveSync retries a delivery until it gets a 2xx and may deliver the same
event more than once, so every event id is recorded in `webhook_events`
in the same transaction as its effects.
"""
import hashlib
import hmac
import json
import logging

import asyncpg
from fastapi import FastAPI, Header, HTTPException, Request

from .settings import settings

log = logging.getLogger("divesync.webhook")
app = FastAPI()


@app.on_event("startup")
async def startup() -> None:
    app.state.pool = await asyncpg.create_pool(
        settings.database_url, min_size=2, max_size=10, command_timeout=10, timeout=5
    )


def _signature_ok(body: bytes, header: str | None) -> bool:
    digest = hmac.new(settings.divesync_secret.encode(), body, hashlib.sha256).hexdigest()
    return header is not None and hmac.compare_digest(f"sha256={digest}", header)


@app.post("/webhooks/divesync")
async def divesync_webhook(request: Request, x_divesync_signature: str | None = Header(default=None)):
    raw = await request.body()
    if not _signature_ok(raw, x_divesync_signature):
        raise HTTPException(status_code=401, detail="bad signature")

    event = json.loads(raw)
    if event.get("type") != "dive.uploaded":
        return {"ignored": event.get("type")}

    dive = event["data"]
    try:
        async with app.state.pool.acquire() as conn, conn.transaction():
            inserted = await conn.fetchval(
                """INSERT INTO webhook_events (provider, event_id, received_at)
                   VALUES ('divesync', $1, now())
                   ON CONFLICT (provider, event_id) DO NOTHING
                   RETURNING id""",
                event["id"],
            )
            if inserted is None:
                return {"duplicate": True}

            diver_id = await conn.fetchval(
                "SELECT id FROM divers WHERE divesync_account = $1", dive["account_id"]
            )
            if diver_id is None:
                log.warning("dive %s for unknown account %s", dive["dive_id"], dive["account_id"])
                return {"unknown_account": True}

            status = await conn.execute(
                """INSERT INTO dive_logs
                       (diver_id, external_id, site_name, dived_at, max_depth_m, duration_min, bottom_temp_c)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   ON CONFLICT (diver_id, external_id) DO NOTHING""",
                diver_id, dive["dive_id"], dive.get("site"), dive["start_time"],
                dive["max_depth_m"], dive["duration_min"], dive.get("temp_c"),
            )
            if status == "INSERT 0 1":
                await conn.execute(
                    "UPDATE divers SET logged_dives = logged_dives + 1 WHERE id = $1", diver_id
                )
    except asyncpg.PostgresError:
        log.exception("failed to store DiveSync event %s", event.get("id"))
        raise
    return {"stored": True}
