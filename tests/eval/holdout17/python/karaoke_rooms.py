"""
Karaoke night: live singer queue for the big stage + private room deposits.

k8s: deployment/karaoke-api, replicas: 3 (deploy/karaoke.yaml), no sticky sessions.
"""
import json
import os
from dataclasses import dataclass, field

import stripe
from fastapi import FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

app = FastAPI(title="karaoke-api")
engine = create_async_engine(os.environ["DATABASE_URL"], pool_size=10, pool_pre_ping=True)
stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]


@dataclass
class Stage:
    sockets: set = field(default_factory=set)
    queue: list = field(default_factory=list)  # [{"singer": "...", "song_id": 123}, ...]


stages: dict[str, Stage] = {}  # bar_id -> connected screens/phones + singer queue


async def broadcast(bar_id: str) -> None:
    stage = stages[bar_id]
    msg = json.dumps({"type": "queue", "queue": stage.queue})
    for ws in list(stage.sockets):
        try:
            await ws.send_text(msg)
        except RuntimeError:
            stage.sockets.discard(ws)  # socket already closed


@app.websocket("/bars/{bar_id}/queue")
async def queue_socket(ws: WebSocket, bar_id: str):
    await ws.accept()
    stage = stages.setdefault(bar_id, Stage())
    stage.sockets.add(ws)
    await ws.send_text(json.dumps({"type": "queue", "queue": stage.queue}))
    try:
        while True:
            msg = json.loads(await ws.receive_text())
            if msg.get("action") == "signup":
                stage.queue.append({"singer": msg["singer"][:40], "song_id": int(msg["song_id"])})
            elif msg.get("action") == "next" and stage.queue:
                stage.queue.pop(0)  # KJ tablet advances the queue
            await broadcast(bar_id)
    except WebSocketDisconnect:
        stage.sockets.discard(ws)


@app.get("/songs/search")
async def search_songs(q: str, limit: int = 25):
    async with engine.connect() as conn:
        rows = (await conn.execute(
            text("SELECT id, title, artist FROM songs WHERE title ILIKE :q OR artist ILIKE :q "
                 "ORDER BY popularity DESC LIMIT :lim"),
            {"q": f"%{q}%", "lim": min(limit, 50)},
        )).mappings().all()
    return [dict(r) for r in rows]


@app.post("/webhooks/stripe")
async def stripe_events(request: Request):
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(
            payload, request.headers.get("stripe-signature", ""), WEBHOOK_SECRET
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        raise HTTPException(status_code=400, detail="bad signature")

    if event["type"] == "checkout.session.completed":
        s = event["data"]["object"]
        meta = s["metadata"]
        email = s["customer_details"]["email"]
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO room_bookings (room_id, customer_email, starts_at, hours, deposit_cents) "
                     "VALUES (:room, :email, :starts, :hours, :amt)"),
                {"room": int(meta["room_id"]), "email": email, "starts": meta["starts_at"],
                 "hours": int(meta["hours"]), "amt": s["amount_total"]},
            )
            await conn.execute(
                text("UPDATE customers SET loyalty_points = loyalty_points + :pts WHERE email = :email"),
                {"pts": s["amount_total"] // 100, "email": email},
            )
    return {"received": True}
