"""Morning slot passes for the lake.

Each slot has a fixed number of passes set by the lifeguard ratio, so the
decrement and the pass row are written in one transaction.
"""
from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from .auth import Swimmer, current_swimmer
from .settings import settings

engine = create_engine(
    settings.DATABASE_URL,
    pool_size=10,
    max_overflow=5,
    pool_pre_ping=True,
    connect_args={"connect_timeout": 5, "options": "-c statement_timeout=5000"},
)
SessionLocal = sessionmaker(engine, expire_on_commit=False)

router = APIRouter(prefix="/lake")


class PassOut(BaseModel):
    pass_id: int
    slot_id: int


@router.post("/slots/{slot_id}/passes", status_code=status.HTTP_201_CREATED, response_model=PassOut)
def book_pass(slot_id: int, swimmer: Swimmer = Depends(current_swimmer)):
    with SessionLocal.begin() as db:
        taken = db.execute(
            text(
                "UPDATE lake_slots SET passes_left = passes_left - 1 "
                "WHERE id = :slot_id AND passes_left > 0 AND starts_at > now()"
            ),
            {"slot_id": slot_id},
        )
        if taken.rowcount == 0:
            raise HTTPException(status.HTTP_409_CONFLICT, "No passes left for this slot")

        # uq_slot_passes_slot_swimmer stops one swimmer holding two passes;
        # raising here rolls the decrement back with the rest of the transaction.
        pass_id = db.execute(
            text(
                "INSERT INTO slot_passes (slot_id, swimmer_id, issued_at) "
                "VALUES (:slot_id, :swimmer_id, now()) "
                "ON CONFLICT (slot_id, swimmer_id) DO NOTHING RETURNING id"
            ),
            {"slot_id": slot_id, "swimmer_id": swimmer.id},
        ).scalar_one_or_none()
        if pass_id is None:
            raise HTTPException(status.HTTP_409_CONFLICT, "You already have a pass for this slot")

    return PassOut(pass_id=pass_id, slot_id=slot_id)


@router.get("/slots")
def slots_on(day: date, lake_id: int):
    with SessionLocal() as db:
        rows = db.execute(
            text(
                "SELECT id, starts_at, ends_at, passes_left FROM lake_slots "
                "WHERE lake_id = :lake_id AND slot_date = :day ORDER BY starts_at LIMIT 24"
            ),
            {"lake_id": lake_id, "day": day},
        ).mappings().all()
    return {"day": day.isoformat(), "slots": [dict(r) for r in rows]}


@router.get("/me/passes")
def my_passes(
    limit: int = Query(20, ge=1, le=100),
    before_id: int | None = None,
    swimmer: Swimmer = Depends(current_swimmer),
):
    with SessionLocal() as db:
        rows = db.execute(
            text(
                "SELECT p.id, p.slot_id, s.starts_at, s.lake_id FROM slot_passes p "
                "JOIN lake_slots s ON s.id = p.slot_id "
                "WHERE p.swimmer_id = :sid AND (:before IS NULL OR p.id < :before) "
                "ORDER BY p.id DESC LIMIT :limit"
            ),
            {"sid": swimmer.id, "before": before_id, "limit": limit},
        ).mappings().all()
    next_cursor = rows[-1]["id"] if len(rows) == limit else None
    return {"passes": [dict(r) for r in rows], "next_before_id": next_cursor}
