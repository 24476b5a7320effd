"""Skate hire desk API for the public ice sessions at the rink."""
import logging
import os
from datetime import datetime, timezone

import requests
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .db import get_session
from .models import RinkSession, SkateHire

log = logging.getLogger(__name__)
router = APIRouter(prefix="/hire", tags=["skate-hire"])

# One pooled session for the till provider; keeps TCP connections warm
till = requests.Session()
till.headers.update({"Authorization": f"Bearer {os.environ['TILL_API_KEY']}"})
TILL_URL = "https://till.example-rink.co.uk/api/v2/charges"

PRICE_PER_PAIR_PENCE = 450


class HireRequest(BaseModel):
    size: str = Field(pattern=r"^(C\d{1,2}|\d{1,2})$")
    pairs: int = Field(ge=1, le=6)
    card_token: str


@router.post("/sessions/{session_id}")
def hire_skates(session_id: int, body: HireRequest, db: Session = Depends(get_session)):
    rink_session = db.get(RinkSession, session_id)
    if rink_session is None or rink_session.ends_at < datetime.now(timezone.utc):
        raise HTTPException(404, "session not found or finished")

    # Running count shown on the board above the hire desk
    on_ice = db.scalar(select(RinkSession.skaters_on_ice).where(RinkSession.id == session_id))

    charge = till.post(
        TILL_URL,
        json={
            "amount": PRICE_PER_PAIR_PENCE * body.pairs,
            "currency": "GBP",
            "token": body.card_token,
            "reference": f"skates-{session_id}-{body.size}",
        },
    )
    if charge.status_code != 201:
        log.warning("till declined hire for session %s: %s", session_id, charge.text)
        raise HTTPException(402, "payment declined")

    db.execute(
        update(RinkSession)
        .where(RinkSession.id == session_id)
        .values(skaters_on_ice=on_ice + body.pairs)
    )
    hire = SkateHire(
        session_id=session_id,
        size=body.size,
        pairs=body.pairs,
        charge_id=charge.json()["id"],
    )
    db.add(hire)
    db.commit()
    return {"hire_id": hire.id, "size": body.size, "pairs": body.pairs}


@router.get("/sessions/{session_id}/occupancy")
def occupancy(session_id: int, db: Session = Depends(get_session)):
    row = db.execute(
        select(RinkSession.skaters_on_ice, RinkSession.capacity).where(RinkSession.id == session_id)
    ).one_or_none()
    if row is None:
        raise HTTPException(404, "session not found")
    return {"on_ice": row.skaters_on_ice, "capacity": row.capacity}
