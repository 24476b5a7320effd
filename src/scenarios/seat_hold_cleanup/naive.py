import os

import asyncpg
from fastapi import Depends, FastAPI

from .auth import current_user

app = FastAPI()
HOLD_MINUTES = 10


@app.on_event("startup")
async def open_pool() -> None:
    app.state.pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], max_size=20)


@app.post("/events/{event_id}/seats/{seat_id}/hold", status_code=201)
async def hold_seat(event_id: int, seat_id: int, user=Depends(current_user)):
    await app.state.pool.execute(
        "INSERT INTO seat_holds (event_id, seat_id, user_id, expires_at) "
        "VALUES ($1, $2, $3, now() + make_interval(mins => $4))",
        event_id, seat_id, user.id, HOLD_MINUTES,
    )
    return {"event_id": event_id, "seat_id": seat_id, "hold_minutes": HOLD_MINUTES}


@app.get("/events/{event_id}/held-seats")
async def held_seats(event_id: int):
    rows = await app.state.pool.fetch(
        "SELECT seat_id FROM seat_holds WHERE event_id = $1 AND expires_at > now()",
        event_id,
    )
    return {"held": [r["seat_id"] for r in rows]}
