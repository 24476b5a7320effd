"""Vehicle deck reservations for the island ferry service.

Passengers book a lane slot for their vehicle when they buy a crossing.
Deck capacity is tracked in lane-metres per sailing.
"""
from datetime import datetime, timezone
import logging

import requests
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from .auth import current_customer
from .db import get_session
from .models import DeckReservation, Sailing

router = APIRouter(prefix="/sailings", tags=["deck"])
log = logging.getLogger(__name__)

PORT_AUTHORITY_URL = "https://manifest.portauthority.example/api/v2/vehicles"

# Lane-metres a vehicle occupies, by class (includes the gap to the next vehicle).
VEHICLE_LENGTHS = {"car": 5.0, "van": 7.5, "camper": 9.0, "lorry": 16.5}


class DeckRequest(BaseModel):
    vehicle_class: str = Field(pattern="^(car|van|camper|lorry)$")
    registration: str = Field(min_length=2, max_length=10)
    passengers: int = Field(ge=1, le=9)


class DeckReservationOut(BaseModel):
    reservation_id: int
    sailing_id: int
    lane_metres: float
    boarding_lane: str


def _boarding_lane(vehicle_class: str) -> str:
    # Tall vehicles go on the centre lanes of the main deck.
    return "C" if vehicle_class in ("camper", "lorry") else "A"


@router.post("/{sailing_id}/deck", response_model=DeckReservationOut)
def reserve_deck_space(
    sailing_id: int,
    body: DeckRequest,
    session: Session = Depends(get_session),
    customer=Depends(current_customer),
):
    sailing = session.execute(
        select(Sailing).where(Sailing.id == sailing_id)
    ).scalar_one_or_none()
    if sailing is None:
        raise HTTPException(status_code=404, detail="Unknown sailing")
    if sailing.departs_at <= datetime.now(timezone.utc):
        raise HTTPException(status_code=409, detail="This sailing has already left")

    needed = VEHICLE_LENGTHS[body.vehicle_class]

    # How much lane length is already taken on this sailing?
    used = session.execute(
        text(
            "SELECT COALESCE(SUM(lane_metres), 0) FROM deck_reservations "
            "WHERE sailing_id = :sid AND status = 'confirmed'"
        ),
        {"sid": sailing_id},
    ).scalar_one()

    if used + needed > sailing.deck_capacity_m:
        raise HTTPException(status_code=409, detail="Not enough deck space left")

    reservation = DeckReservation(
        sailing_id=sailing_id,
        customer_id=customer.id,
        vehicle_class=body.vehicle_class,
        registration=body.registration.upper().replace(" ", ""),
        passengers=body.passengers,
        lane_metres=needed,
        status="confirmed",
    )
    session.add(reservation)
    session.commit()
    session.refresh(reservation)

    # The port authority wants the vehicle manifest ahead of boarding.
    resp = requests.post(
        PORT_AUTHORITY_URL,
        json={
            "sailing": sailing.code,
            "registration": reservation.registration,
            "class": reservation.vehicle_class,
            "persons": reservation.passengers,
        },
        headers={"Authorization": f"Bearer {sailing.operator_token}"},
    )
    if resp.status_code >= 400:
        log.warning(
            "manifest push failed for reservation %s: %s %s",
            reservation.id, resp.status_code, resp.text[:200],
        )

    return DeckReservationOut(
        reservation_id=reservation.id,
        sailing_id=sailing_id,
        lane_metres=needed,
        boarding_lane=_boarding_lane(body.vehicle_class),
    )
