"""Community composting site: drop-off windows and annual certificates.

Households reserve a 20-minute drop-off window at the composting yard. A
reservation is held for 15 minutes while they confirm (bin type, estimated
weight); confirmed drop-offs count towards the household's yearly total,
which we certify in January for the council's green-waste rebate.
"""
from datetime import date, datetime, timedelta, timezone

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from compost.auth import require_admin, require_household
from compost.db import get_session
from compost.mail import send_certificate_email
from compost.pdf import render_certificate

router = APIRouter(prefix="/compost")

HOLD_MINUTES = 15


class HoldIn(BaseModel):
    window_id: int


@router.post("/holds", status_code=201)
def hold_window(body: HoldIn, household=Depends(require_household), db: Session = Depends(get_session)):
    expires_at = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
    # lock the window row so concurrent holds on the same window queue up
    window = db.execute(
        text("SELECT id FROM dropoff_windows WHERE id = :w FOR UPDATE"), {"w": body.window_id}
    ).first()
    if window is None:
        raise HTTPException(404, "no such window")
    row = db.execute(
        text(
            "INSERT INTO dropoff_holds (window_id, household_id, expires_at) "
            "SELECT :w, :h, :exp FROM dropoff_windows dw "
            "WHERE dw.id = :w AND dw.capacity > ("
            "  SELECT count(*) FROM dropoff_holds dh WHERE dh.window_id = :w AND dh.expires_at > now()"
            ") RETURNING id"
        ),
        {"w": body.window_id, "h": household.id, "exp": expires_at},
    ).first()
    if row is None:
        db.rollback()
        raise HTTPException(409, "that window is full")
    db.commit()
    return {"hold_id": row.id, "expires_at": expires_at.isoformat()}


@router.post("/holds/{hold_id}/confirm")
def confirm_hold(hold_id: int, household=Depends(require_household), db: Session = Depends(get_session)):
    res = db.execute(
        text(
            "UPDATE dropoff_holds SET confirmed_at = now() "
            "WHERE id = :id AND household_id = :h AND confirmed_at IS NULL AND expires_at > now()"
        ),
        {"id": hold_id, "h": household.id},
    )
    if res.rowcount != 1:
        db.rollback()
        raise HTTPException(410, "hold expired or already confirmed")
    db.commit()
    return {"status": "confirmed"}


@router.post("/certificates/{year}", dependencies=[Depends(require_admin)])
def issue_certificates(year: int, db: Session = Depends(get_session)):
    """Generates and emails every household's certificate for the given year."""
    if year >= date.today().year:
        raise HTTPException(400, "the year is not over yet")
    households = db.execute(
        text(
            "SELECT h.id, h.name, h.email, sum(d.weight_kg) AS total_kg "
            "FROM households h JOIN dropoffs d ON d.household_id = h.id "
            "WHERE extract(year FROM d.dropped_at) = :y GROUP BY h.id"
        ),
        {"y": year},
    ).all()
    sent = 0
    for hh in households:
        pdf_bytes = render_certificate(name=hh.name, year=year, total_kg=float(hh.total_kg))
        send_certificate_email(hh.email, f"Your {year} composting certificate", pdf_bytes)
        sent += 1
    return {"year": year, "certificates_sent": sent}
