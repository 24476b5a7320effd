"""Entries for the Vale Dog Agility Club summer trial.

Each class (Agility Grade 1-3, Jumping, Steeplechase) has a ring-time cap on
the number of runs. Handlers enter from the club site; the secretary exports
running orders the night before.
"""
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import Handler, current_handler
from .db import get_session
from .models import Dog, Entry, TrialClass

router = APIRouter(prefix="/trial/classes")


class EntryIn(BaseModel):
    dog_id: int
    height_category: str = Field(pattern="^(S|M|I|L)$")


@router.post("/{class_id}/entries", status_code=201)
async def enter_class(
    class_id: int,
    body: EntryIn,
    handler: Handler = Depends(current_handler),
    session: AsyncSession = Depends(get_session),
):
    async with session.begin():
        dog = await session.scalar(
            select(Dog).where(Dog.id == body.dog_id, Dog.handler_id == handler.id)
        )
        if dog is None:
            raise HTTPException(404, "dog not found")

        # Take a run only while the class is under its cap; RETURNING gives
        # no row (None) when the class is already full.
        taken = await session.scalar(
            update(TrialClass)
            .where(TrialClass.id == class_id, TrialClass.runs_taken < TrialClass.max_runs)
            .values(runs_taken=TrialClass.runs_taken + 1)
            .returning(TrialClass.runs_taken)
        )
        if taken is None:
            raise HTTPException(409, "class is full")

        session.add(
            Entry(
                class_id=class_id,
                dog_id=dog.id,
                handler_id=handler.id,
                height_category=body.height_category,
                run_number=taken,
            )
        )
        try:
            # uq_entries_class_dog (class_id, dog_id) stops double entry.
            await session.flush()
        except IntegrityError:
            raise HTTPException(409, "this dog is already entered in the class")

    return {"class_id": class_id, "dog_id": dog.id, "run_number": taken}


@router.get("/{class_id}/entries")
async def my_entries(
    class_id: int,
    handler: Handler = Depends(current_handler),
    session: AsyncSession = Depends(get_session),
):
    rows = await session.scalars(
        select(Entry)
        .where(Entry.class_id == class_id, Entry.handler_id == handler.id)
        .order_by(Entry.run_number)
        .limit(20)
    )
    return [
        {"dog_id": e.dog_id, "run_number": e.run_number, "height": e.height_category}
        for e in rows
    ]
