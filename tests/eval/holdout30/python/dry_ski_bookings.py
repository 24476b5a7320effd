"""Dry-ski slope lesson bookings: member sessions, rate limits and the book-a-slot call.

Runs on 4 pods behind the leisure centre ingress, so anything that must be shared
between requests (sessions, limiter counters) lives in Redis, not in process memory.
"""
import os
import secrets
import time

import redis
from fastapi import Cookie, Depends, FastAPI, Form, HTTPException, Response
from sqlalchemy import create_engine, text

from .auth import check_password

REDIS_POOL = redis.ConnectionPool.from_url(
    os.environ["REDIS_URL"], max_connections=50, socket_timeout=1.0, socket_connect_timeout=1.0
)
rdb = redis.Redis(connection_pool=REDIS_POOL)
engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_size=10,
    max_overflow=5,
    pool_pre_ping=True,
    connect_args={"connect_timeout": 5, "options": "-c statement_timeout=5000"},
)

SESSION_TTL = 60 * 60 * 8
app = FastAPI()


def over_limit(bucket: str, limit: int, window_s: int) -> bool:
    """Fixed-window counter shared by every pod: INCR is atomic in Redis."""
    key = f"rl:{bucket}:{int(time.time() // window_s)}"
    pipe = rdb.pipeline()
    pipe.incr(key)
    pipe.expire(key, window_s + 5)
    count, _ = pipe.execute()
    return count > limit


def current_member(sid: str | None = Cookie(default=None)) -> int:
    member_id = rdb.get(f"session:{sid}") if sid else None
    if member_id is None:
        raise HTTPException(status_code=401)
    rdb.expire(f"session:{sid}", SESSION_TTL)  # sliding expiry
    return int(member_id)


@app.post("/login")
def login(response: Response, email: str = Form(...), password: str = Form(...)):
    if over_limit(f"login:{email.lower()}", limit=10, window_s=900):
        raise HTTPException(status_code=429, detail="Too many attempts, try again later.")
    member_id = check_password(email, password)  # bcrypt check against members table
    if member_id is None:
        raise HTTPException(status_code=401)
    sid = secrets.token_urlsafe(32)
    rdb.set(f"session:{sid}", member_id, ex=SESSION_TTL)
    response.set_cookie("sid", sid, httponly=True, secure=True, samesite="lax", max_age=SESSION_TTL)
    return {"ok": True}


@app.post("/slots/{slot_id}/book", status_code=201)
def book_slot(slot_id: int, member_id: int = Depends(current_member)):
    if over_limit(f"book:{member_id}", limit=20, window_s=60):
        raise HTTPException(status_code=429)
    with engine.begin() as conn:
        taken = conn.execute(
            text("UPDATE lesson_slots SET booked = booked + 1 WHERE id = :id AND booked < capacity RETURNING booked, capacity"),
            {"id": slot_id},
        ).first()
        if taken is None:
            raise HTTPException(status_code=409, detail="That lesson is full.")
        conn.execute(
            text("INSERT INTO slot_bookings (slot_id, member_id, status) VALUES (:s, :m, 'confirmed')"),
            {"s": slot_id, "m": member_id},
        )
    return {"slot_id": slot_id, "places_left": taken.capacity - taken.booked}
