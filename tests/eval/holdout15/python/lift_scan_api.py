"""
Lift gate scan API for Powder Ridge resort.

Here's a production-ready FastAPI service for validating lift passes at the
turnstiles. Each gate reader POSTs the RFID chip id it just read; we validate
the pass, make sure the lift is actually running, decrement rides for punch
cards (10-ride / 5-ride products) and record the scan for analytics.

Key features:
- Typed request/response models with Pydantic
- Dependency-injected SQLAlchemy session
- Clear rejection reasons the gate display can show to the skier
"""
from datetime import datetime, timezone

import requests
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session  # yields a SessionLocal() and closes it afterwards

app = FastAPI(title="Lift Gate Scans")

LIFT_STATUS_URL = "https://ops.powderridge.example.com/api/v2/lifts/status"
PUNCH_CARD_PRODUCTS = {"RIDES_5", "RIDES_10"}


class ScanIn(BaseModel):
    chip_id: str
    gate_id: int


class ScanOut(BaseModel):
    allowed: bool
    reason: str | None = None
    rides_remaining: int | None = None


def lift_is_running(lift_code: str) -> bool:
    """Ask the mountain-ops feed whether the lift is spinning right now."""
    resp = requests.get(LIFT_STATUS_URL, params={"lift": lift_code})
    resp.raise_for_status()
    return resp.json().get("status") == "OPEN"


@app.post("/scans", response_model=ScanOut)
def record_scan(scan: ScanIn, db: Session = Depends(get_session)) -> ScanOut:
    gate = db.execute(
        text("SELECT id, lift_code FROM gates WHERE id = :gid AND active"),
        {"gid": scan.gate_id},
    ).mappings().first()
    if gate is None:
        raise HTTPException(status_code=404, detail="unknown gate")

    lift_pass = db.execute(
        text("""SELECT id, product, valid_from, valid_until, rides_remaining
                FROM lift_passes
                WHERE chip_id = :chip AND revoked = false"""),
        {"chip": scan.chip_id},
    ).mappings().first()
    if lift_pass is None:
        return ScanOut(allowed=False, reason="Pass not found")

    now = datetime.now(timezone.utc)
    if not (lift_pass["valid_from"] <= now <= lift_pass["valid_until"]):
        return ScanOut(allowed=False, reason="Pass not valid today")

    if not lift_is_running(gate["lift_code"]):
        return ScanOut(allowed=False, reason="Lift closed")

    remaining = None
    if lift_pass["product"] in PUNCH_CARD_PRODUCTS:
        if lift_pass["rides_remaining"] <= 0:
            return ScanOut(allowed=False, reason="No rides left", rides_remaining=0)
        db.execute(
            text("UPDATE lift_passes SET rides_remaining = rides_remaining - 1 WHERE id = :pid"),
            {"pid": lift_pass["id"]},
        )
        remaining = lift_pass["rides_remaining"] - 1

    db.execute(
        text("""INSERT INTO gate_scans (pass_id, gate_id, scanned_at)
                VALUES (:pid, :gid, :ts)"""),
        {"pid": lift_pass["id"], "gid": scan.gate_id, "ts": now},
    )
    db.commit()
    return ScanOut(allowed=True, rides_remaining=remaining)


@app.get("/passes/{chip_id}/scans/today")
def scans_today(chip_id: str, db: Session = Depends(get_session)):
    """Used by the ticket window when a guest disputes a ride count."""
    rows = db.execute(
        text("""SELECT s.scanned_at, g.lift_code
                FROM gate_scans s
                JOIN lift_passes p ON p.id = s.pass_id
                JOIN gates g ON g.id = s.gate_id
                WHERE p.chip_id = :chip AND s.scanned_at >= date_trunc('day', now())
                ORDER BY s.scanned_at
                LIMIT 200"""),
        {"chip": chip_id},
    ).mappings().all()
    return {"chip_id": chip_id, "scans": [dict(r) for r in rows]}
