from datetime import datetime, timedelta

from fastapi import FastAPI, HTTPException

app = FastAPI()
HOLD_MINUTES = 10


@app.post("/events/{event_id}/seats/{seat_id}/hold")
async def hold_seat(event_id: int, seat_id: int, user_id: int):
    expires = datetime.utcnow() + timedelta(minutes=HOLD_MINUTES)
    async with pool.acquire() as conn:
        # Check and write in one statement: only one request can flip 'free' to 'held'.
        status = await conn.execute(
            "UPDATE seats SET status = 'held', held_by = $1, hold_expires = $2 "
            "WHERE event_id = $3 AND id = $4 AND status = 'free'",
            user_id, expires, event_id, seat_id,
        )
        if status == "UPDATE 0":
            raise HTTPException(409, "Seat already taken")
    return {"seat": seat_id, "held_until": expires.isoformat()}
