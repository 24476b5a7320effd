"""Parish water-quality dashboard: 24-month summary per well for a parish.

The summary is a fairly heavy aggregate, so it is cached per parish (every officer of a
parish sees the same numbers) in a bounded TTL cache. One lock guards both the cache and
the recompute, so an expired entry is rebuilt once rather than by every waiting request.
"""
import threading
from datetime import date, timedelta

from cachetools import TTLCache
from flask import Blueprint, jsonify
from flask_login import current_user, login_required
from sqlalchemy import text

from .db import engine

bp = Blueprint("dashboard", __name__)

_summary_cache: TTLCache = TTLCache(maxsize=512, ttl=300)
_summary_lock = threading.Lock()

SUMMARY_SQL = text(
    """
    SELECT w.id AS well_id,
           w.name,
           count(t.id) AS samples,
           max(t.sampled_on) AS last_sampled,
           avg(t.nitrate_mg_l) AS mean_nitrate,
           max(t.nitrate_mg_l) AS peak_nitrate,
           count(*) FILTER (WHERE t.e_coli_cfu > 0) AS e_coli_positives
      FROM wells w
      LEFT JOIN water_tests t ON t.well_id = w.id AND t.sampled_on >= :since
     WHERE w.parish_id = :parish_id
     GROUP BY w.id, w.name
     ORDER BY w.name
    """
)


def _compute_summary(parish_id: int) -> dict:
    since = date.today() - timedelta(days=730)
    with engine.connect() as conn:
        rows = conn.execute(SUMMARY_SQL, {"parish_id": parish_id, "since": since}).mappings().all()
    return {
        "parish_id": parish_id,
        "since": since.isoformat(),
        "wells": [
            {**row, "mean_nitrate": float(row["mean_nitrate"] or 0), "last_sampled": str(row["last_sampled"])}
            for row in rows
        ],
    }


def parish_summary(parish_id: int) -> dict:
    with _summary_lock:
        summary = _summary_cache.get(parish_id)
        if summary is None:
            summary = _compute_summary(parish_id)
            _summary_cache[parish_id] = summary
        return summary


@bp.get("/dashboard/summary")
@login_required
def summary():
    return jsonify(parish_summary(current_user.parish_id))
