"""Lane reservation API for the city pools (Northgate, Riverside and the Lido).

Runs as the `lanes-api` Deployment (replicas: 3) behind the city ingress.
Reservations open at 07:00 for the following week, so we throttle bursts.
"""
import threading
import time
from collections import defaultdict, deque

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.engine import Connection

from lanes.auth import Resident, current_resident
from lanes.db import get_conn

app = FastAPI(title="lanes-api")

WINDOW_SECONDS = 600
MAX_ATTEMPTS_PER_WINDOW = 8
SWEEP_THRESHOLD = 20_000

_attempts: dict[str, deque] = defaultdict(deque)
_attempts_lock = threading.Lock()


def caller_ip(request: Request) -> str:
    forwarded = request.headers.get("x-forwarded-for", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host


def _sweep(now: float) -> None:
    stale = [ip for ip, q in _attempts.items() if not q or now - q[-1] > WINDOW_SECONDS]
    for ip in stale:
        del _attempts[ip]


def enforce_reservation_limit(request: Request) -> None:
    ip = caller_ip(request)
    now = time.monotonic()
    with _attempts_lock:
        if len(_attempts) > SWEEP_THRESHOLD:
            _sweep(now)
        window = _attempts[ip]
        while window and now - window[0] > WINDOW_SECONDS:
            window.popleft()
        if len(window) >= MAX_ATTEMPTS_PER_WINDOW:
            raise HTTPException(429, "Too many reservation attempts, try again in a few minutes")
        window.append(now)


class ReservationIn(BaseModel):
    session_id: int
    lane_no: int


@app.post("/reservations", status_code=201, dependencies=[Depends(enforce_reservation_limit)])
def reserve_lane(
    body: ReservationIn,
    resident: Resident = Depends(current_resident),
    conn: Connection = Depends(get_conn),
):
    # Take a place only if the lane still has room; the condition is evaluated by Postgres.
    row = conn.execute(
        text(
            "UPDATE lane_sessions SET booked = booked + 1 "
            "WHERE id = :sid AND lane_no = :lane AND booked < capacity "
            "RETURNING pool_id, starts_at"
        ),
        {"sid": body.session_id, "lane": body.lane_no},
    ).first()
    if row is None:
        raise HTTPException(409, "That lane is full")

    conn.execute(
        text(
            "INSERT INTO lane_reservations (session_id, lane_no, resident_id) "
            "VALUES (:sid, :lane, :rid)"
        ),
        {"sid": body.session_id, "lane": body.lane_no, "rid": resident.id},
    )
    conn.commit()
    return {"pool_id": row.pool_id, "starts_at": row.starts_at.isoformat(), "lane": body.lane_no}


@app.get("/sessions/{pool_id}")
def upcoming_sessions(pool_id: int, conn: Connection = Depends(get_conn)):
    rows = conn.execute(
        text(
            "SELECT id, lane_no, starts_at, capacity - booked AS free "
            "FROM lane_sessions WHERE pool_id = :pid AND starts_at > now() "
            "ORDER BY starts_at, lane_no LIMIT 120"
        ),
        {"pid": pool_id},
    ).mappings().all()
    return [dict(r) for r in rows]
