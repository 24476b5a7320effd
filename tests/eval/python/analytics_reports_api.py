from datetime import date

from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from .deps import get_db, require_admin

router = APIRouter(prefix="/admin/reports", dependencies=[Depends(require_admin)])


@router.get("/signups")
def signups_by_country(db: Session = Depends(get_db)):
    rows = db.execute(
        text(
            """
            SELECT c.name AS country, count(u.id) AS signups, avg(o.total) AS avg_order
            FROM users u
            JOIN countries c ON c.code = u.country_code
            LEFT JOIN orders o ON o.user_id = u.id
            GROUP BY c.name
            ORDER BY signups DESC
            """
        )
    ).mappings().all()
    return list(rows)


@router.get("/daily")
def daily_summary(day: date, db: Session = Depends(get_db)):
    # filled by the nightly rollup job, one row per day
    row = db.execute(
        text("SELECT day, orders, revenue, refunds FROM daily_rollups WHERE day = :d"),
        {"d": day},
    ).mappings().one_or_none()
    return row or {"day": day, "orders": 0, "revenue": 0, "refunds": 0}
