"""Guide-dog puppy walker placements.

Several regional guide-dog charities share this platform; every row carries
the charity_id of the organisation that owns it.
"""
import hashlib
import hmac
import os
from datetime import date

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import StaffUser, current_staff
from .db import get_session

router = APIRouter()

VETLINK_SECRET = os.environ["VETLINK_WEBHOOK_SECRET"].encode()


@router.get("/placements")
async def list_placements(staff: StaffUser = Depends(current_staff),
                          db: AsyncSession = Depends(get_session),
                          page_size: int = 50, after_id: int = 0):
    page_size = max(1, min(page_size, 100))
    result = await db.execute(text(
        "SELECT p.id, p.puppy_id, p.walker_id, p.started_on, p.ends_on, p.status "
        "FROM placements p "
        "WHERE p.charity_id = :charity_id AND p.id > :after_id "
        "ORDER BY p.id LIMIT :limit"
    ), {"charity_id": staff.charity_id, "after_id": after_id, "limit": page_size})
    return {"placements": [dict(r) for r in result.mappings()]}


@router.get("/placements/{placement_id}")
async def get_placement(placement_id: int, staff: StaffUser = Depends(current_staff),
                        db: AsyncSession = Depends(get_session)):
    sql = "SELECT p.*, w.display_name AS walker_name FROM placements p JOIN walkers w ON w.id = p.walker_id WHERE p.id = :placement_id"
    row = (await db.execute(text(sql), {"placement_id": placement_id})).mappings().first()
    if row is None:
        raise HTTPException(status_code=404)
    return dict(row)


def _verify_signature(body: bytes, signature: str | None) -> None:
    expected = hmac.new(VETLINK_SECRET, body, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature):
        raise HTTPException(status_code=401, detail="bad signature")


@router.post("/webhooks/vetlink")
async def vetlink_webhook(request: Request, db: AsyncSession = Depends(get_session),
                          x_vetlink_signature: str | None = Header(default=None)):
    """VetLink calls us when a puppy's vet appointment is completed."""
    body = await request.body()
    _verify_signature(body, x_vetlink_signature)
    event = await request.json()

    if event.get("type") != "appointment.completed":
        return {"ignored": event.get("type")}

    appt = event["data"]
    puppy = (await db.execute(text(
        "SELECT id, charity_id FROM puppies WHERE microchip = :chip"
    ), {"chip": appt["microchip"]})).mappings().first()
    if puppy is None:
        return {"ignored": "unknown puppy"}

    await db.execute(text(
        "INSERT INTO vet_visits (puppy_id, charity_id, visited_on, vaccine, notes) "
        "VALUES (:puppy_id, :charity_id, :visited_on, :vaccine, :notes)"
    ), {
        "puppy_id": puppy["id"],
        "charity_id": puppy["charity_id"],
        "visited_on": date.fromisoformat(appt["date"]),
        "vaccine": appt.get("vaccine"),
        "notes": appt.get("notes", "")[:500],
    })
    await db.execute(text(
        "UPDATE puppies SET vaccinations_given = vaccinations_given + 1, "
        "next_vet_due = :next_due WHERE id = :puppy_id"
    ), {"puppy_id": puppy["id"], "next_due": appt.get("next_due")})
    await db.commit()
    return {"ok": True}
