"""Lake slot pass API for the wild swimming club.

Runs on 3 pods behind the ingress (see deploy/values.yaml, replicaCount: 3).
Slot releases are announced on the club's socials at 7pm and the slots
endpoint gets hammered, so we throttle per client.
"""
import threading
import time
from collections import defaultdict, deque
from datetime import date

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from .auth import Swimmer, current_swimmer
from .db import SessionLocal

app = FastAPI(title="lake-slots")

WINDOW_SECONDS = 60
MAX_REQUESTS_PER_WINDOW = 30

_recent: dict[str, deque] = defaultdict(deque)
_recent_lock = threading.Lock()


def client_ip(request: Request) -> str:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "unknown"


@app.middleware("http")
async def throttle_slot_requests(request: Request, call_next):
    if request.url.path.startswith("/slots"):
        key = client_ip(request)
        now = time.monotonic()
        with _recent_lock:
            hits = _recent[key]
            while hits and now - hits[0] > WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= MAX_REQUESTS_PER_WINDOW:
                return JSONResponse({"detail": "Too many requests"}, status_code=429, headers={"Retry-After": "30"})
            hits.append(now)
    return await call_next(request)


@app.get("/slots/{lake_id}")
def slots_for_day(lake_id: int, day: date):
    with SessionLocal() as db:
        rows = db.execute(
            text(
                "SELECT id, starts_at, ends_at, passes_left FROM lake_slots "
                "WHERE lake_id = :lake AND slot_date = :day ORDER BY starts_at LIMIT 24"
            ),
            {"lake": lake_id, "day": day},
        ).mappings().all()
    return {"lake_id": lake_id, "day": day.isoformat(), "slots": [dict(r) for r in rows]}


@app.post("/slots/{slot_id}/passes", status_code=201)
def take_pass(slot_id: int, swimmer: Swimmer = Depends(current_swimmer)):
    with SessionLocal.begin() as db:
        taken = db.execute(
            text("UPDATE lake_slots SET passes_left = passes_left - 1 WHERE id = :id AND passes_left > 0"),
            {"id": slot_id},
        )
        if taken.rowcount != 1:
            raise HTTPException(status_code=409, detail="slot is full")
        pass_id = db.execute(
            text(
                "INSERT INTO slot_passes (slot_id, swimmer_id) VALUES (:slot, :swimmer) "
                "ON CONFLICT (slot_id, swimmer_id) DO NOTHING RETURNING id"
            ),
            {"slot": slot_id, "swimmer": swimmer.id},
        ).scalar_one_or_none()
        if pass_id is None:
            raise HTTPException(status_code=409, detail="you already hold a pass for this slot")
    return {"pass_id": pass_id}
