"""Velodrome track-session booking API.

Deployed on Render with gunicorn -w 4 -k uvicorn.workers.UvicornWorker.
Riders book 60-minute track slots (accredited riders only).
"""
import time
from collections import defaultdict, deque

from fastapi import FastAPI, Depends, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_db
from .auth import current_rider

app = FastAPI()

WINDOW_SECONDS = 60
MAX_BOOKING_ATTEMPTS = 10
_attempts: dict[str, deque] = defaultdict(deque)


def client_ip(request: Request) -> str:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host


def rate_limit(request: Request) -> None:
    ip = client_ip(request)
    now = time.monotonic()
    q = _attempts[ip]
    while q and now - q[0] > WINDOW_SECONDS:
        q.popleft()
    if len(q) >= MAX_BOOKING_ATTEMPTS:
        raise HTTPException(status_code=429, detail="slow down")
    q.append(now)


@app.post("/sessions/{session_id}/book", dependencies=[Depends(rate_limit)])
def book_session(session_id: int, db: Session = Depends(get_db),
                 rider=Depends(current_rider)):
    if not rider.accredited:
        raise HTTPException(status_code=403, detail="accreditation required")

    # Capacity check and seat claim in one statement.
    res = db.execute(
        text(
            "UPDATE track_sessions SET booked = booked + 1 "
            "WHERE id = :sid AND velodrome_id = :vid AND booked < capacity"
        ),
        {"sid": session_id, "vid": rider.velodrome_id},
    )
    if res.rowcount == 0:
        db.rollback()
        raise HTTPException(status_code=409, detail="session full")
    db.execute(
        text(
            "INSERT INTO session_bookings (session_id, rider_id, velodrome_id) "
            "VALUES (:sid, :rid, :vid)"
        ),
        {"sid": session_id, "rid": rider.id, "vid": rider.velodrome_id},
    )
    db.commit()
    return {"booked": True}


@app.get("/sessions")
def list_sessions(day: str, db: Session = Depends(get_db),
                  rider=Depends(current_rider)):
    rows = db.execute(
        text(
            "SELECT id, starts_at, discipline, capacity - booked AS free "
            "FROM track_sessions WHERE velodrome_id = :vid "
            "AND starts_at::date = :day ORDER BY starts_at LIMIT 40"
        ),
        {"vid": rider.velodrome_id, "day": day},
    ).mappings().all()
    return {"sessions": [dict(r) for r in rows]}
