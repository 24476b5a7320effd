from datetime import datetime

from fastapi import APIRouter, Depends, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db import get_session
from ..models import Bin, BinReading, Elevator, ScaleTicket

router = APIRouter(prefix="/ops", tags=["ops"])


@router.get("/dashboard")
def ops_dashboard(crop_year: int, db: Session = Depends(get_session)):
    """Season-to-date receipts per elevator/commodity plus current bin conditions.

    The wallboard in every elevator office polls this every 15 seconds during harvest.
    """
    elevators = {e.id: e.name for e in db.execute(select(Elevator)).scalars()}

    # scale_tickets: one row per truck dumped, ~40M rows across all crop years
    receipts = db.execute(
        select(
            ScaleTicket.elevator_id,
            ScaleTicket.commodity,
            func.count(ScaleTicket.id).label("loads"),
            func.sum(ScaleTicket.net_bushels).label("bushels"),
            func.avg(ScaleTicket.moisture_pct).label("avg_moisture"),
            func.sum(ScaleTicket.dockage_bushels).label("dockage"),
        )
        .where(ScaleTicket.crop_year == crop_year)
        .group_by(ScaleTicket.elevator_id, ScaleTicket.commodity)
    ).all()

    bins_out = []
    bins = db.execute(
        select(Bin).where(Bin.active.is_(True)).order_by(Bin.elevator_id, Bin.code)
    ).scalars().all()
    for b in bins:
        latest = db.execute(
            select(BinReading)
            .where(BinReading.bin_id == b.id)
            .order_by(BinReading.taken_at.desc())
            .limit(1)
        ).scalar_one_or_none()
        bins_out.append({
            "elevator": elevators.get(b.elevator_id),
            "bin": b.code,
            "capacity_bu": b.capacity_bushels,
            "temp_c": latest.max_temp_c if latest else None,
            "moisture": latest.moisture_pct if latest else None,
            "hot_spot": bool(latest and latest.max_temp_c > 30),
        })

    return {
        "generated_at": datetime.utcnow().isoformat(),
        "receipts": [
            {
                "elevator": elevators.get(r.elevator_id),
                "commodity": r.commodity,
                "loads": r.loads,
                "bushels": float(r.bushels or 0),
                "avg_moisture": round(float(r.avg_moisture or 0), 2),
                "dockage": float(r.dockage or 0),
            }
            for r in receipts
        ],
        "bins": bins_out,
    }


@router.get("/tickets")
def list_tickets(
    elevator_id: int,
    before_id: int | None = None,
    limit: int = Query(50, le=200),
    db: Session = Depends(get_session),
):
    stmt = select(ScaleTicket).where(ScaleTicket.elevator_id == elevator_id)
    if before_id:
        stmt = stmt.where(ScaleTicket.id < before_id)
    rows = db.execute(stmt.order_by(ScaleTicket.id.desc()).limit(limit)).scalars().all()
    return [t.to_dict() for t in rows]
