# Yes — your current version has a race: two turnstiles can both read `scanned_at IS NULL`
# for the same barcode (screenshots get shared!) and both let the person in. The fix is
# to make the check and the write one statement, so Postgres decides who wins:
#
#   UPDATE ... WHERE barcode = $1 AND scanned_at IS NULL RETURNING ...
#
# Only one concurrent scan can match that row; the loser gets no row back. I also
# replaced the IP allow-list with per-device tokens, since the source IP you see
# behind the load balancer isn't something you can trust.
import hashlib
import os

import asyncpg
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

app = FastAPI()
bearer = HTTPBearer()


@app.on_event("startup")
async def startup() -> None:
    app.state.pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=2, max_size=20, command_timeout=3
    )


async def gate_device(creds: HTTPAuthorizationCredentials = Depends(bearer)) -> dict:
    digest = hashlib.sha256(creds.credentials.encode()).hexdigest()
    device = await app.state.pool.fetchrow(
        "SELECT id, venue_id, gate FROM gate_devices WHERE token_sha256 = $1 AND revoked_at IS NULL",
        digest,
    )
    if device is None:
        raise HTTPException(status_code=401, detail="unknown device")
    return dict(device)


@app.post("/scan/{barcode}")
async def scan(barcode: str, device: dict = Depends(gate_device)) -> dict:
    async with app.state.pool.acquire() as con:
        admitted = await con.fetchrow(
            """
            UPDATE tickets
               SET scanned_at = now(), scanned_gate = $3
             WHERE barcode = $1
               AND venue_id = $2
               AND status = 'valid'
               AND scanned_at IS NULL
            RETURNING id, event_id, section
            """,
            barcode, device["venue_id"], device["gate"],
        )
        if admitted:
            return {"ok": True, "event_id": admitted["event_id"], "section": admitted["section"]}

        # Not admitted: look up why, purely to show the steward a useful message.
        t = await con.fetchrow(
            "SELECT status, scanned_at, scanned_gate FROM tickets WHERE barcode = $1 AND venue_id = $2",
            barcode, device["venue_id"],
        )
    if t is None or t["status"] != "valid":
        return {"ok": False, "reason": "invalid ticket"}
    return {"ok": False, "reason": "already scanned", "at": t["scanned_at"].isoformat(), "gate": t["scanned_gate"]}
