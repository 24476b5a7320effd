# Village pantomime ("Jack and the Beanstalk", Church Hall, 6 performances)
# Seat-hold API used by the box-office page. A hold keeps a seat for 10 minutes
# while the family fills in names for the raffle and pays at the door later.
#
# Runs on Cloud Run with min_instances=2, max_instances=6, uvicorn 2 workers each.
import time
from collections import defaultdict, deque
from datetime import datetime, timedelta, timezone

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from .database import get_session

app = FastAPI(title="panto-box-office")

HOLD_MINUTES = 10
MAX_HOLDS_PER_MINUTE = 6

# phone number -> timestamps of recent hold requests
_hold_attempts: dict[str, deque] = defaultdict(deque)


class HoldRequest(BaseModel):
    performance_id: int
    seat_label: str  # e.g. "C7"
    phone: str


def _throttle(phone: str) -> None:
    now = time.monotonic()
    window = _hold_attempts[phone]
    while window and now - window[0] > 60:
        window.popleft()
    if len(window) >= MAX_HOLDS_PER_MINUTE:
        raise HTTPException(status_code=429, detail="Too many holds, try again shortly")
    window.append(now)


@app.post("/holds", status_code=201)
def create_hold(req: HoldRequest, session: Session = Depends(get_session)):
    _throttle(req.phone)
    now = datetime.now(timezone.utc)

    with session.begin():
        # Lock the seat row so two families can't grab C7 at the same moment.
        seat = session.execute(
            text(
                "SELECT id, sold FROM seats "
                "WHERE performance_id = :p AND label = :l FOR UPDATE"
            ),
            {"p": req.performance_id, "l": req.seat_label},
        ).one_or_none()
        if seat is None:
            raise HTTPException(404, "No such seat")
        if seat.sold:
            raise HTTPException(409, "Seat already sold")

        active = session.execute(
            text("SELECT 1 FROM seat_holds WHERE seat_id = :s AND expires_at > :now"),
            {"s": seat.id, "now": now},
        ).first()
        if active:
            raise HTTPException(409, "Seat is being held by someone else")

        hold_id = session.execute(
            text(
                "INSERT INTO seat_holds (seat_id, phone, created_at, expires_at) "
                "VALUES (:s, :phone, :now, :exp) RETURNING id"
            ),
            {"s": seat.id, "phone": req.phone, "now": now,
             "exp": now + timedelta(minutes=HOLD_MINUTES)},
        ).scalar_one()

    return {"hold_id": hold_id, "expires_in_seconds": HOLD_MINUTES * 60}


@app.get("/performances/{performance_id}/availability")
def availability(performance_id: int, session: Session = Depends(get_session)):
    rows = session.execute(
        text(
            """
            SELECT s.label,
                   s.sold,
                   EXISTS (SELECT 1 FROM seat_holds h
                           WHERE h.seat_id = s.id AND h.expires_at > now()) AS held
            FROM seats s
            WHERE s.performance_id = :p
            ORDER BY s.row_letter, s.number
            """
        ),
        {"p": performance_id},
    ).all()
    return [{"seat": r.label, "free": not (r.sold or r.held)} for r in rows]
