"""Bed board: bed assignment, transfer holds, live ward board over websockets.
Deployed as the `bedboard` Deployment (replicas: 3) behind the hospital ingress."""
import json
import logging
from datetime import datetime, timedelta, timezone

import asyncpg
from fastapi import Depends, FastAPI, HTTPException, WebSocket, WebSocketDisconnect
from pydantic import BaseModel

log = logging.getLogger("bedboard")
app = FastAPI(title="Bed Board")

DB_DSN = "postgresql://bedboard@db-primary.internal/bedboard"
TRANSFER_HOLD = timedelta(hours=2)

pool: asyncpg.Pool | None = None

# ward_id -> nurse-station sockets currently watching that ward
ward_sockets: dict[int, set[WebSocket]] = {}


class AssignRequest(BaseModel):
    patient_id: int
    bed_id: int
    admitted_by: str


class TransferHoldRequest(BaseModel):
    bed_id: int
    transfer_ref: str  # referral number from the sending hospital


@app.on_event("startup")
async def startup() -> None:
    global pool
    pool = await asyncpg.create_pool(DB_DSN, min_size=2, max_size=10, command_timeout=10)


async def get_conn():
    async with pool.acquire() as conn:
        yield conn


async def broadcast(ward_id: int, payload: dict) -> None:
    for ws in list(ward_sockets.get(ward_id, ())):
        try:
            await ws.send_text(json.dumps(payload))
        except Exception:
            log.warning("dropping dead socket for ward %s", ward_id, exc_info=True)
            ward_sockets[ward_id].discard(ws)


@app.post("/beds/assign")
async def assign_bed(req: AssignRequest, conn=Depends(get_conn)):
    bed = await conn.fetchrow(
        "SELECT id, ward_id, status FROM beds WHERE id = $1", req.bed_id
    )
    if bed is None:
        raise HTTPException(404, "bed not found")
    if bed["status"] != "available":
        raise HTTPException(409, f"bed is {bed['status']}")

    async with conn.transaction():
        await conn.execute(
            "UPDATE beds SET status = 'occupied', patient_id = $1, updated_at = now() WHERE id = $2",
            req.patient_id, req.bed_id,
        )
        await conn.execute(
            "INSERT INTO bed_events (bed_id, patient_id, kind, actor, at) "
            "VALUES ($1, $2, 'assign', $3, $4)",
            req.bed_id, req.patient_id, req.admitted_by, datetime.now(timezone.utc),
        )

    await broadcast(bed["ward_id"], {"bed_id": req.bed_id, "status": "occupied"})
    return {"ok": True, "bed_id": req.bed_id}


@app.post("/beds/transfer-hold", status_code=201)
async def hold_for_transfer(req: TransferHoldRequest, conn=Depends(get_conn)):
    """Reserve a bed for an incoming ambulance transfer for two hours."""
    hold_until = datetime.now(timezone.utc) + TRANSFER_HOLD
    row = await conn.fetchrow(
        "INSERT INTO bed_holds (bed_id, transfer_ref, hold_until) VALUES ($1, $2, $3) RETURNING id",
        req.bed_id, req.transfer_ref, hold_until,
    )
    return {"hold_id": row["id"], "hold_until": hold_until.isoformat()}


@app.post("/beds/{bed_id}/release")
async def release_bed(bed_id: int, conn=Depends(get_conn)):
    row = await conn.fetchrow(
        "UPDATE beds SET status = 'cleaning', patient_id = NULL, updated_at = now() "
        "WHERE id = $1 AND status = 'occupied' RETURNING ward_id",
        bed_id,
    )
    if row is None:
        raise HTTPException(409, "bed is not occupied")
    await broadcast(row["ward_id"], {"bed_id": bed_id, "status": "cleaning"})
    return {"ok": True}


@app.get("/wards/{ward_id}/beds")
async def ward_beds(ward_id: int, conn=Depends(get_conn)):
    rows = await conn.fetch(
        "SELECT b.id, b.label, b.status, b.patient_id, EXISTS (SELECT 1 FROM bed_holds h "
        "WHERE h.bed_id = b.id AND h.hold_until > now()) AS held "
        "FROM beds b WHERE b.ward_id = $1 ORDER BY b.label",
        ward_id,
    )
    return [dict(r) for r in rows]


@app.websocket("/ws/wards/{ward_id}")
async def ward_feed(ws: WebSocket, ward_id: int):
    await ws.accept()
    ward_sockets.setdefault(ward_id, set()).add(ws)
    try:
        while True:
            await ws.receive_text()  # station UI sends keepalive pings
    except WebSocketDisconnect:
        ward_sockets[ward_id].discard(ws)
