"""Seed request API shared by the regional seed banks.

Every bank is a tenant: staff only ever see their own bank's requests and stock.
"""
from datetime import date
from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from seedshare.auth import StaffUser, current_staff
from seedshare.db import get_session
from seedshare.models import BankStock, GerminationTest, SeedRequest, Variety

router = APIRouter(prefix="/api/v1")

# (bank_id, variety_id, season) -> (germination rate, tested_on).
# Germination tests are only rerun once a season, so the values are stable.
_germination_cache: dict[tuple[int, int, str], tuple[float, date]] = {}


def germination_for(session: Session, bank_id: int, variety_id: int, season: str) -> Optional[tuple[float, date]]:
    key = (bank_id, variety_id, season)
    if key in _germination_cache:
        return _germination_cache[key]
    test = session.scalars(
        select(GerminationTest)
        .where(
            GerminationTest.bank_id == bank_id,
            GerminationTest.variety_id == variety_id,
            GerminationTest.season == season,
        )
        .order_by(GerminationTest.tested_on.desc())
        .limit(1)
    ).first()
    if test is None:
        return None
    _germination_cache[key] = (test.rate, test.tested_on)
    return _germination_cache[key]


@router.get("/requests")
def list_requests(
    status: str = Query("pending"),
    limit: int = Query(50, le=200),
    offset: int = Query(0, ge=0),
    staff: StaffUser = Depends(current_staff),
    session: Session = Depends(get_session),
):
    rows = session.execute(
        select(
            SeedRequest.id,
            SeedRequest.requester_name,
            SeedRequest.variety_id,
            SeedRequest.packets,
            SeedRequest.created_at,
        )
        .where(SeedRequest.bank_id == staff.bank_id, SeedRequest.status == status)
        .order_by(SeedRequest.created_at)
        .limit(limit)
        .offset(offset)
    ).all()
    return [dict(r._mapping) for r in rows]


@router.get("/requests/{request_id}")
def get_request(
    request_id: int,
    staff: StaffUser = Depends(current_staff),
    session: Session = Depends(get_session),
):
    req = session.scalars(select(SeedRequest).where(SeedRequest.id == request_id)).first()
    if req is None:
        raise HTTPException(404, "request not found")
    variety = session.get(Variety, req.variety_id)
    germ = germination_for(session, req.bank_id, req.variety_id, req.season)
    return {
        "id": req.id,
        "requester": req.requester_name,
        "postcode": req.postcode,
        "variety": variety.common_name,
        "latin_name": variety.latin_name,
        "packets": req.packets,
        "status": req.status,
        "germination_rate": germ[0] if germ else None,
        "germination_tested_on": germ[1].isoformat() if germ else None,
    }


@router.post("/requests/{request_id}/fulfil")
def fulfil_request(
    request_id: int,
    staff: StaffUser = Depends(current_staff),
    session: Session = Depends(get_session),
):
    req = session.scalars(
        select(SeedRequest)
        .where(SeedRequest.id == request_id, SeedRequest.bank_id == staff.bank_id)
        .with_for_update()
    ).first()
    if req is None:
        raise HTTPException(404, "request not found")
    if req.status != "pending":
        raise HTTPException(409, f"request is already {req.status}")

    taken = session.execute(
        update(BankStock)
        .where(
            BankStock.bank_id == staff.bank_id,
            BankStock.variety_id == req.variety_id,
            BankStock.packets >= req.packets,
        )
        .values(packets=BankStock.packets - req.packets)
    )
    if taken.rowcount != 1:
        session.rollback()
        raise HTTPException(409, "not enough packets in stock")

    req.status = "fulfilled"
    req.fulfilled_by = staff.id
    session.commit()
    return {"id": req.id, "status": req.status}
