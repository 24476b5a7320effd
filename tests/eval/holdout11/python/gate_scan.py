# turnstile handhelds POST every scan here. behind venue nginx, 2 pods.
import os

import asyncpg
from fastapi import FastAPI, HTTPException, Request

app = FastAPI()
GATE_NETS = ("10.40.", "10.41.")  # gate wifi VLANs only
pool: asyncpg.Pool | None = None


@app.on_event("startup")
async def startup():
    global pool
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=2, max_size=10, command_timeout=5)


@app.post("/scan/{barcode}")
async def scan(barcode: str, request: Request):
    ip = request.headers.get("x-forwarded-for", request.client.host).split(",")[0].strip()
    if not ip.startswith(GATE_NETS):
        raise HTTPException(403, "not a gate device")

    async with pool.acquire() as con:
        t = await con.fetchrow("select id, event_id, status, scanned_at from tickets where barcode = $1", barcode)
        if t is None or t["status"] != "valid":
            raise HTTPException(404, "invalid ticket")
        if t["scanned_at"] is not None:
            return {"ok": False, "reason": "already scanned", "at": t["scanned_at"].isoformat()}
        await con.execute(
            "update tickets set scanned_at = now(), gate = $2 where id = $1",
            t["id"], request.headers.get("x-gate-id"),
        )
    return {"ok": True, "event_id": t["event_id"]}
