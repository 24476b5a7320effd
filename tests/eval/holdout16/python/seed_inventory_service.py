"""
Yes - the version you pasted has a race: two requests can both read
packets_available = 12, each add their packets in Python, and the second
commit overwrites the first, so one member's return disappears. The same
thing happens on checkout, where two members can both take "the last packet".

Below is a fixed version. Let the database do the arithmetic in a single
UPDATE, and for checkout make the stock condition part of the WHERE clause so
the row count tells you whether you got a packet.
"""
from fastapi import Depends, HTTPException
from sqlalchemy import update
from sqlalchemy.orm import Session

from seedlib.app import app
from seedlib.deps import current_member, get_db
from seedlib.models import Checkout, SeedReturn, SeedVariety
from seedlib.schemas import ReturnIn


@app.post("/varieties/{variety_id}/returns")
def return_seeds(variety_id: int, body: ReturnIn, member=Depends(current_member), db: Session = Depends(get_db)):
    new_total = db.execute(
        update(SeedVariety)
        .where(SeedVariety.id == variety_id)
        .values(
            packets_available=SeedVariety.packets_available + body.packets,
            times_returned=SeedVariety.times_returned + 1,
        )
        .returning(SeedVariety.packets_available)
    ).scalar_one_or_none()
    if new_total is None:
        raise HTTPException(404)
    db.add(SeedReturn(variety_id=variety_id, member_id=member.id, packets=body.packets))
    db.commit()
    return {"packets_available": new_total}


@app.post("/varieties/{variety_id}/checkout")
def checkout(variety_id: int, member=Depends(current_member), db: Session = Depends(get_db)):
    remaining = db.execute(
        update(SeedVariety)
        .where(SeedVariety.id == variety_id, SeedVariety.packets_available > 0)
        .values(packets_available=SeedVariety.packets_available - 1)
        .returning(SeedVariety.packets_available)
    ).scalar_one_or_none()
    if remaining is None:
        # either the variety doesn't exist or it is out of stock
        db.rollback()
        raise HTTPException(409, "No packets left for this variety")
    db.add(Checkout(variety_id=variety_id, member_id=member.id))
    db.commit()
    return {"remaining": remaining}

# Both handlers are now safe under concurrency: PostgreSQL takes a row lock for
# the UPDATE, so concurrent returns queue up and each one adds to the latest value.
