from datetime import datetime, timedelta

from fastapi import FastAPI, HTTPException

app = FastAPI()
HOLD_MINUTES = 10


@app.post("/events/{event_id}/seats/{seat_id}/hold")
async def hold_seat(event_id: int, seat_id: int, user_id: int):
    async with pool.acquire() as conn:
        seat = await conn.fetchrow(
            "SELECT status FROM seats WHERE event_id = $1 AND id = $2",
            event_id, seat_id,
        )
        if seat is None or seat["status"] != "free":
            raise HTTPException(409, "Seat already taken")
        expires = datetime.utcnow() + timedelta(minutes=HOLD_MINUTES)
        await conn.execute(
            "UPDATE seats SET status = 'held', held_by = $1, hold_expires = $2 "
            "WHERE event_id = $3 AND id = $4",
            user_id, expires, event_id, seat_id,
        )
    return {"seat": seat_id, "held_until": expires.isoformat()}
