"""Rental checkout for the StringLoan violin fleet.

Each music shop on the platform (shop_id) owns its own fleet of violins,
violas and cellos in fractional sizes. Runs as 3 replicas behind the ALB.
"""
from datetime import date, timedelta

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stringloan.auth import CurrentStaff, current_staff
from stringloan.db import get_session
from stringloan.models import Instrument, Rental

router = APIRouter(prefix="/fleet")

MAX_PAGE = 100


class CheckoutIn(BaseModel):
    instrument_id: int
    customer_id: int
    months: int = 3


@router.get("/instruments")
def list_instruments(
    size: str | None = None,
    after_id: int = 0,
    limit: int = Query(default=50, le=MAX_PAGE),
    staff: CurrentStaff = Depends(current_staff),
    db: Session = Depends(get_session),
):
    stmt = (
        select(Instrument.id, Instrument.kind, Instrument.size, Instrument.status, Instrument.serial)
        .where(Instrument.shop_id == staff.shop_id, Instrument.id > after_id)
        .order_by(Instrument.id)
        .limit(limit)
    )
    if size:
        stmt = stmt.where(Instrument.size == size)
    rows = db.execute(stmt).mappings().all()
    next_cursor = rows[-1]["id"] if len(rows) == limit else None
    return {"items": [dict(r) for r in rows], "next_after_id": next_cursor}


@router.post("/checkouts", status_code=201)
def checkout(
    body: CheckoutIn,
    staff: CurrentStaff = Depends(current_staff),
    db: Session = Depends(get_session),
):
    # Flip the instrument to "rented" only if it is still on the shelf; the
    # WHERE clause makes the check and the write one statement.
    claimed = db.execute(
        update(Instrument)
        .where(
            Instrument.id == body.instrument_id,
            Instrument.shop_id == staff.shop_id,
            Instrument.status == "available",
        )
        .values(status="rented")
    )
    if claimed.rowcount != 1:
        db.rollback()
        raise HTTPException(status_code=409, detail="Instrument is not available")

    rental = Rental(
        shop_id=staff.shop_id,
        instrument_id=body.instrument_id,
        customer_id=body.customer_id,
        starts_on=date.today(),
        due_back=date.today() + timedelta(days=30 * max(1, min(body.months, 12))),
    )
    db.add(rental)
    try:
        # partial unique index: one open rental per instrument
        db.commit()
    except IntegrityError:
        db.rollback()
        raise HTTPException(status_code=409, detail="Instrument already has an open rental")
    return {"rental_id": rental.id, "due_back": rental.due_back.isoformat()}


@router.post("/checkouts/{rental_id}/return")
def return_instrument(
    rental_id: int,
    staff: CurrentStaff = Depends(current_staff),
    db: Session = Depends(get_session),
):
    rental = db.scalar(
        select(Rental)
        .where(Rental.id == rental_id, Rental.shop_id == staff.shop_id, Rental.returned_on.is_(None))
        .with_for_update()
    )
    if rental is None:
        raise HTTPException(status_code=404, detail="No open rental")
    rental.returned_on = date.today()
    db.execute(
        update(Instrument)
        .where(Instrument.id == rental.instrument_id, Instrument.shop_id == staff.shop_id)
        .values(status="inspection")
    )
    db.commit()
    return {"status": "returned", "instrument_id": rental.instrument_id}
