# kilns/dashboard.py -- studio manager's kiln overview page
import os
from datetime import datetime, timedelta

import psycopg2
import psycopg2.extras
from flask import Blueprint, render_template, session, abort

bp = Blueprint("kiln_dashboard", __name__)

DB_DSN = os.environ.get("KILN_DB_DSN", "dbname=kilns user=studio host=db")


def _studio_id() -> int:
    sid = session.get("studio_id")
    if sid is None:
        abort(403)
    return sid


@bp.route("/studio/kilns")
def kiln_overview():
    studio_id = _studio_id()
    conn = psycopg2.connect(DB_DSN, connect_timeout=5)
    try:
        cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)

        # Current state of each kiln (small table, ~10 rows per studio).
        cur.execute(
            "SELECT id, name, max_cone, status, current_firing_id "
            "FROM kilns WHERE studio_id = %s ORDER BY name",
            (studio_id,),
        )
        kilns = cur.fetchall()

        # Per-kiln performance figures across the whole firing history:
        # how long firings take, how close they get to target, failure rate.
        cur.execute(
            """
            SELECT f.kiln_id,
                   count(*)                                                   AS firings,
                   avg(extract(epoch FROM f.ended_at - f.started_at) / 3600) AS avg_hours,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY r.peak_temp_c) AS p95_peak_c,
                   avg(abs(r.peak_temp_c - f.target_temp_c))                  AS avg_overshoot_c,
                   sum(CASE WHEN f.outcome = 'failed' THEN 1 ELSE 0 END)::float
                       / nullif(count(*), 0)                                  AS failure_rate,
                   sum(r.kwh_used)                                            AS total_kwh
            FROM firings f
            JOIN LATERAL (
                SELECT max(l.temp_c) AS peak_temp_c, sum(l.kwh_delta) AS kwh_used
                FROM firing_log_points l
                WHERE l.firing_id = f.id
            ) r ON true
            WHERE f.studio_id = %s
            GROUP BY f.kiln_id
            """,
            (studio_id,),
        )
        stats = {row["kiln_id"]: row for row in cur.fetchall()}

        since = datetime.utcnow() - timedelta(days=14)
        cur.execute(
            "SELECT id, kiln_id, program_name, started_at, ended_at, outcome "
            "FROM firings WHERE studio_id = %s AND started_at >= %s "
            "ORDER BY started_at DESC LIMIT 40",
            (studio_id, since),
        )
        recent = cur.fetchall()
    finally:
        conn.close()

    return render_template(
        "kilns/overview.html",
        kilns=kilns,
        stats=stats,
        recent=recent,
    )
