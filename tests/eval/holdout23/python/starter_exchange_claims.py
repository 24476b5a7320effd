# routers/claims.py -- sourdough starter exchange
#
# Bakers list spare starter (a jar of "Gertrude", 9 years old, rye-fed...) and
# other members claim it for pickup. One listing = one jar = one claimant.

from datetime import datetime, timezone

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import Member, current_member
from app.db import get_session
from app.models import Claim, StarterListing

router = APIRouter(prefix="/listings", tags=["claims"])


class ClaimIn(BaseModel):
    pickup_note: str = Field(default="", max_length=500)
    preferred_day: str | None = None


class ClaimOut(BaseModel):
    claim_id: int
    listing_id: int
    pickup_postcode: str
    claimed_at: datetime


class ListingOut(BaseModel):
    id: int
    starter_name: str
    flour: str
    age_years: int
    town: str


@router.get("", response_model=list[ListingOut])
async def open_listings(
    town: str | None = None,
    limit: int = Query(25, le=100),
    offset: int = Query(0, ge=0),
    session: AsyncSession = Depends(get_session),
):
    stmt = select(StarterListing).where(StarterListing.status == "available")
    if town:
        stmt = stmt.where(StarterListing.town == town)
    stmt = stmt.order_by(StarterListing.created_at.desc()).limit(limit).offset(offset)
    rows = (await session.scalars(stmt)).all()
    return [ListingOut.model_validate(r, from_attributes=True) for r in rows]


@router.post("/{listing_id}/claim", response_model=ClaimOut, status_code=status.HTTP_201_CREATED)
async def claim_listing(
    listing_id: int,
    body: ClaimIn,
    member: Member = Depends(current_member),
    session: AsyncSession = Depends(get_session),
):
    listing = await session.get(StarterListing, listing_id)
    if listing is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "listing not found")
    if listing.owner_id == member.id:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "you can't claim your own starter")
    if listing.status != "available":
        raise HTTPException(status.HTTP_409_CONFLICT, "this jar has already been claimed")

    now = datetime.now(timezone.utc)
    listing.status = "claimed"
    listing.claimed_by_id = member.id
    listing.claimed_at = now

    claim = Claim(
        listing_id=listing.id,
        member_id=member.id,
        pickup_note=body.pickup_note,
        preferred_day=body.preferred_day,
        created_at=now,
    )
    session.add(claim)
    await session.commit()
    await session.refresh(claim)

    return ClaimOut(
        claim_id=claim.id,
        listing_id=listing.id,
        pickup_postcode=listing.pickup_postcode,
        claimed_at=now,
    )
