"""Blood-bank inventory service (SQLAlchemy 2.0, Postgres).

Inventory is one row per (bank_id, blood_type, component), e.g.
(12, 'O-', 'red_cells'). Hospitals request units; donation intake adds units.
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bloodbank.models import BloodInventory, HospitalRequest, IntakeBatch


class InsufficientStock(Exception):
    pass


@dataclass
class IntakeLine:
    blood_type: str
    component: str
    units: int


def allocate_units(session: Session, bank_id: int, req: HospitalRequest) -> None:
    """Reserve units for a hospital request. Never goes below zero."""
    result = session.execute(
        update(BloodInventory)
        .where(
            BloodInventory.bank_id == bank_id,
            BloodInventory.blood_type == req.blood_type,
            BloodInventory.component == req.component,
            BloodInventory.units_available >= req.units,
        )
        .values(units_available=BloodInventory.units_available - req.units)
    )
    if result.rowcount != 1:
        raise InsufficientStock(f"{req.blood_type} {req.component}: need {req.units}")
    req.status = "allocated"
    req.allocated_at = datetime.now(timezone.utc)


def _add_units(session: Session, bank_id: int, line: IntakeLine) -> int:
    inv = session.scalars(select(BloodInventory).filter_by(
        bank_id=bank_id, blood_type=line.blood_type, component=line.component)).one()
    new_total = inv.units_available + line.units
    inv.units_available = new_total
    inv.last_intake_at = datetime.now(timezone.utc)
    return new_total


def record_intake(session: Session, bank_id: int, batch_ref: str, lines: list[IntakeLine]) -> dict:
    """Called by POST /banks/{bank_id}/intake after the lab has screened a batch."""
    batch = IntakeBatch(bank_id=bank_id, reference=batch_ref,
                        received_at=datetime.now(timezone.utc))
    session.add(batch)
    totals = {}
    for line in lines:
        totals[f"{line.blood_type}/{line.component}"] = _add_units(session, bank_id, line)
    session.commit()
    return {"batch_id": batch.id, "totals": totals}


def fulfil_request(session: Session, bank_id: int, request_id: int) -> HospitalRequest:
    req = session.scalars(
        select(HospitalRequest)
        .where(HospitalRequest.id == request_id, HospitalRequest.bank_id == bank_id)
        .with_for_update()
    ).one()
    if req.status != "pending":
        return req
    allocate_units(session, bank_id, req)
    session.commit()
    return req
