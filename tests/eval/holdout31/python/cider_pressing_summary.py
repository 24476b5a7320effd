# orchard/api/pressing_summary.py
# Season summary shown on the community orchard's homepage and on the big screen
# in the barn during pressing days (it refreshes every 30 s on ~40 phones too).
import json
import os
from datetime import date

import redis
from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from orchard.db import get_db

router = APIRouter()

r = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2)

SUMMARY_KEY = "orchard:pressing-summary:v3"
SUMMARY_TTL_SECONDS = 120

SUMMARY_SQL = text(
    """
    SELECT v.name                                   AS variety,
           COUNT(DISTINCT p.pressing_day_id)        AS days_pressed,
           SUM(b.weight_kg)                         AS apples_kg,
           SUM(b.juice_litres)                      AS juice_litres,
           ROUND(AVG(b.specific_gravity)::numeric, 4) AS avg_sg,
           PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY b.juice_litres / NULLIF(b.weight_kg, 0))
                                                    AS median_yield
    FROM bag_weighings b
    JOIN pressings p   ON p.id = b.pressing_id
    JOIN varieties v   ON v.id = b.variety_id
    WHERE p.season = :season
    GROUP BY v.name
    ORDER BY apples_kg DESC
    """
)


def _season_for(today: date) -> int:
    # the pressing season runs September to December
    return today.year


def _compute_summary(db: Session, season: int) -> dict:
    rows = db.execute(SUMMARY_SQL, {"season": season}).mappings().all()
    totals = {
        "apples_kg": float(sum(r["apples_kg"] or 0 for r in rows)),
        "juice_litres": float(sum(r["juice_litres"] or 0 for r in rows)),
    }
    return {
        "season": season,
        "totals": totals,
        "varieties": [
            {k: (float(v) if hasattr(v, "__float__") and not isinstance(v, str) else v) for k, v in r.items()}
            for r in rows
        ],
    }


@router.get("/pressing/summary")
def pressing_summary(db: Session = Depends(get_db)):
    cached = r.get(SUMMARY_KEY)
    if cached is not None:
        return json.loads(cached)

    summary = _compute_summary(db, _season_for(date.today()))
    r.set(SUMMARY_KEY, json.dumps(summary), ex=SUMMARY_TTL_SECONDS)
    return summary
