"""Kiln firing slot reservations for the Eastgate ceramics co-op.

Members reserve shelf space in a scheduled firing (bisque or glaze). Each
firing has a fixed number of shelves; once they are all taken the firing is
shown as full on the booking page and the kiln tech plans the load from the
reservation list.
"""
from datetime import datetime
import logging
import os

import requests
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("kiln")

engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_size=10,
    pool_pre_ping=True,
    connect_args={"connect_timeout": 5},
)
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)

SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "https://sms.eastgate-coop.org/api/send")

app = FastAPI(title="kiln-slots")


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


class ShelfRequest(BaseModel):
    member_id: int
    shelves: int = Field(1, ge=1, le=3)
    cone: str = Field("06", pattern=r"^0?\d{1,2}$")
    glaze_notes: str | None = Field(None, max_length=500)


def notify_member(phone: str, firing_at: datetime) -> None:
    """Text the member a confirmation with the drop-off deadline."""
    body = (
        f"Eastgate kiln: your pieces are in the {firing_at:%a %d %b %H:%M} firing. "
        "Please drop off on the greenware shelf at least 24h before."
    )
    resp = requests.post(SMS_GATEWAY_URL, json={"to": phone, "body": body})
    resp.raise_for_status()


@app.get("/firings")
def upcoming_firings(limit: int = 20, db: Session = Depends(get_db)):
    limit = min(max(limit, 1), 100)
    rows = db.execute(
        text(
            "SELECT id, kind, cone, starts_at, shelf_capacity FROM kiln_firings "
            "WHERE starts_at > now() ORDER BY starts_at LIMIT :lim"
        ),
        {"lim": limit},
    ).mappings().all()
    return [dict(r) for r in rows]


@app.post("/firings/{firing_id}/reservations", status_code=201)
def reserve_shelves(firing_id: int, req: ShelfRequest, db: Session = Depends(get_db)):
    firing = db.execute(
        text("SELECT id, starts_at, cone, shelf_capacity FROM kiln_firings WHERE id = :id"),
        {"id": firing_id},
    ).mappings().first()
    if firing is None:
        raise HTTPException(404, "firing not found")
    if firing["cone"] != req.cone:
        raise HTTPException(422, f"this firing goes to cone {firing['cone']}")

    used = db.execute(
        text("SELECT COALESCE(SUM(shelves), 0) FROM kiln_reservations WHERE firing_id = :id"),
        {"id": firing_id},
    ).scalar_one()
    if used + req.shelves > firing["shelf_capacity"]:
        raise HTTPException(409, "not enough shelf space left in this firing")

    row = db.execute(
        text(
            "INSERT INTO kiln_reservations (firing_id, member_id, shelves, glaze_notes) "
            "VALUES (:f, :m, :s, :n) RETURNING id"
        ),
        {"f": firing_id, "m": req.member_id, "s": req.shelves, "n": req.glaze_notes},
    ).one()
    db.commit()

    phone = db.execute(
        text("SELECT phone FROM members WHERE id = :id"), {"id": req.member_id}
    ).scalar_one_or_none()
    if phone:
        notify_member(phone, firing["starts_at"])

    log.info(
        "member %s reserved %s shelves in firing %s", req.member_id, req.shelves, firing_id
    )
    return {"reservation_id": row.id, "firing_id": firing_id, "shelves": req.shelves}
