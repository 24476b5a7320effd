"""Deck space allocation for ferry sailings (v2).

Capacity is decremented in a single conditional UPDATE so two
customers can never both get the last lane-metres on a sailing.
"""
import logging

import requests
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .auth import current_customer
from .db import get_session

router = APIRouter(prefix="/v2/sailings", tags=["deck"])
log = logging.getLogger(__name__)

VEHICLE_REGISTRY_URL = "https://registry.portauthority.example/api/v2/vehicles"
VEHICLE_LENGTHS = {"car": 5.0, "van": 7.5, "camper": 9.0, "lorry": 16.5}

# One shared session so connections to the registry are kept alive and reused.
registry = requests.Session()
registry.headers.update({"Accept": "application/json"})


class DeckRequest(BaseModel):
    vehicle_class: str = Field(pattern="^(car|van|camper|lorry)$")
    registration: str = Field(min_length=2, max_length=10)
    passengers: int = Field(ge=1, le=9)


def _verify_registration(reg: str) -> dict:
    """Look the plate up before we hold space for it."""
    resp = registry.get(f"{VEHICLE_REGISTRY_URL}/{reg}", timeout=(3.05, 8))
    if resp.status_code == 404:
        raise HTTPException(status_code=422, detail="Unknown vehicle registration")
    resp.raise_for_status()
    return resp.json()


@router.post("/{sailing_id}/deck", status_code=201)
def allocate_deck_space(
    sailing_id: int,
    body: DeckRequest,
    session: Session = Depends(get_session),
    customer=Depends(current_customer),
):
    reg = body.registration.upper().replace(" ", "")
    vehicle = _verify_registration(reg)
    needed = VEHICLE_LENGTHS[body.vehicle_class]

    # Take the space only if it is still there; the row lock taken by
    # UPDATE serialises concurrent allocations for the same sailing.
    row = session.execute(
        text(
            "UPDATE sailings SET deck_free_m = deck_free_m - :need "
            "WHERE id = :sid AND deck_free_m >= :need AND departs_at > now() "
            "RETURNING deck_free_m"
        ),
        {"need": needed, "sid": sailing_id},
    ).first()
    if row is None:
        session.rollback()
        raise HTTPException(status_code=409, detail="Not enough deck space left")

    try:
        # (sailing_id, registration) is UNIQUE: the same car cannot be booked twice.
        reservation_id = session.execute(
            text(
                "INSERT INTO deck_reservations "
                "(sailing_id, customer_id, registration, vehicle_class, "
                " passengers, lane_metres, status) "
                "VALUES (:sid, :cid, :reg, :cls, :pax, :len, 'confirmed') "
                "RETURNING id"
            ),
            {
                "sid": sailing_id,
                "cid": customer.id,
                "reg": reg,
                "cls": body.vehicle_class,
                "pax": body.passengers,
                "len": needed,
            },
        ).scalar_one()
        session.commit()
    except IntegrityError:
        session.rollback()
        log.info("duplicate deck booking for %s on sailing %s", reg, sailing_id)
        raise HTTPException(status_code=409, detail="Vehicle already booked on this sailing")

    return {
        "reservation_id": reservation_id,
        "sailing_id": sailing_id,
        "lane_metres": needed,
        "deck_free_m": float(row.deck_free_m),
        "vehicle_make": vehicle.get("make"),
    }
