"""Deck planning endpoints for the Northsound ferry booking backend.

Vehicles are allocated lane-metres on a specific sailing. Lane capacity comes
from the vessel profile; the harbour-master system is told about oversize
vehicles so the linkspan crew can plan loading order.
"""
from datetime import datetime, timezone
from decimal import Decimal

import httpx
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import get_session
from .models import DeckAllocation, Sailing, VesselProfile
from .settings import settings

router = APIRouter(prefix="/sailings", tags=["deck"])

# Anything longer than a long-wheelbase van needs a linkspan notice.
OVERSIZE_LENGTH_M = Decimal("7.5")


class AllocationRequest(BaseModel):
    booking_ref: str = Field(min_length=6, max_length=12)
    registration: str
    vehicle_length_m: Decimal = Field(gt=0, le=25)
    vehicle_height_m: Decimal = Field(gt=0, le=5)
    lane: str = Field(pattern="^(main|mezzanine)$")


def _lane_capacity(profile: VesselProfile, lane: str) -> Decimal:
    return profile.mezzanine_lane_m if lane == "mezzanine" else profile.main_lane_m


def _notify_harbour_master(sailing: Sailing, req: AllocationRequest) -> None:
    payload = {
        "sailing_code": sailing.code,
        "departs_at": sailing.departs_at.isoformat(),
        "registration": req.registration,
        "length_m": str(req.vehicle_length_m),
        "height_m": str(req.vehicle_height_m),
    }
    resp = httpx.post(
        f"{settings.harbour_api_url}/oversize-notices",
        json=payload,
        headers={"Authorization": f"Bearer {settings.harbour_api_token}"},
    )
    resp.raise_for_status()


@router.post("/{sailing_id}/allocations", status_code=201)
def allocate_vehicle(
    sailing_id: int,
    req: AllocationRequest,
    session: Session = Depends(get_session),
):
    sailing = session.get(Sailing, sailing_id)
    if sailing is None:
        raise HTTPException(status_code=404, detail="Unknown sailing")
    if sailing.departs_at <= datetime.now(timezone.utc):
        raise HTTPException(status_code=409, detail="Sailing has already departed")

    profile = session.get(VesselProfile, sailing.vessel_id)
    if req.lane == "mezzanine" and req.vehicle_height_m > profile.mezzanine_max_height_m:
        raise HTTPException(status_code=422, detail="Vehicle too tall for mezzanine deck")

    capacity = _lane_capacity(profile, req.lane)
    used = session.scalar(
        select(func.coalesce(func.sum(DeckAllocation.length_m), 0)).where(
            DeckAllocation.sailing_id == sailing_id,
            DeckAllocation.lane == req.lane,
        )
    )
    # Keep half a metre between vehicles for lashing.
    needed = req.vehicle_length_m + Decimal("0.5")
    if Decimal(used) + needed > capacity:
        raise HTTPException(status_code=409, detail="Not enough lane space on this sailing")

    allocation = DeckAllocation(
        sailing_id=sailing_id,
        booking_ref=req.booking_ref,
        registration=req.registration.upper().replace(" ", ""),
        lane=req.lane,
        length_m=needed,
    )
    session.add(allocation)
    session.commit()

    if req.vehicle_length_m > OVERSIZE_LENGTH_M:
        _notify_harbour_master(sailing, req)

    return {
        "allocation_id": allocation.id,
        "lane": allocation.lane,
        "remaining_m": str(capacity - Decimal(used) - needed),
    }
