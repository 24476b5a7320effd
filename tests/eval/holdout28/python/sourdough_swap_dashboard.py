"""Sourdough starter swap registry – organiser dashboard.

Members register their starters (with lineage: which starter it was split
from) and log swaps at the monthly market. Organisers open the dashboard to see
which lineages are spreading and who is waiting for a starter.
"""
import os
from datetime import date

import psycopg2
import psycopg2.extras
from flask import Blueprint, abort, jsonify, render_template, request
from flask_login import current_user, login_required

bp = Blueprint("dashboard", __name__, url_prefix="/organiser")

DSN = os.environ["REGISTRY_DSN"]

LINEAGE_SPREAD_SQL = """
    WITH RECURSIVE tree AS (
        SELECT id, id AS root_id, parent_id, 0 AS depth
          FROM starters WHERE parent_id IS NULL
        UNION ALL
        SELECT s.id, t.root_id, s.parent_id, t.depth + 1
          FROM starters s JOIN tree t ON s.parent_id = t.id
    )
    SELECT root.name AS lineage,
           count(DISTINCT tree.id) AS descendants,
           max(tree.depth) AS generations,
           count(DISTINCT sw.recipient_id) AS households,
           count(DISTINCT m.postcode_district) AS districts,
           avg(extract(epoch FROM sw.swapped_at - st.created_at) / 86400) AS avg_age_days
      FROM tree
      JOIN starters root ON root.id = tree.root_id
      JOIN starters st ON st.id = tree.id
      LEFT JOIN swaps sw ON sw.starter_id = tree.id
      LEFT JOIN members m ON m.id = sw.recipient_id
     GROUP BY root.name
     ORDER BY households DESC
     LIMIT 20
"""


def _connect():
    return psycopg2.connect(DSN, connect_timeout=5)


def _require_organiser():
    if not current_user.is_authenticated or not current_user.is_organiser:
        abort(403)


@bp.get("/dashboard")
@login_required
def dashboard():
    _require_organiser()
    conn = _connect()
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(LINEAGE_SPREAD_SQL)
            lineages = cur.fetchall()
            cur.execute(
                """
                SELECT r.id, m.display_name, r.wanted_flour, r.requested_at
                  FROM starter_requests r
                  JOIN members m ON m.id = r.member_id
                 WHERE r.fulfilled_at IS NULL
                 ORDER BY r.requested_at
                 LIMIT 30
                """
            )
            waiting = cur.fetchall()
    finally:
        conn.close()
    return render_template(
        "organiser/dashboard.html",
        lineages=lineages,
        waiting=waiting,
        today=date.today(),
    )


@bp.post("/requests/<int:request_id>/fulfil")
@login_required
def fulfil_request(request_id: int):
    _require_organiser()
    starter_id = request.form.get("starter_id", type=int)
    if starter_id is None:
        abort(400)
    conn = _connect()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "UPDATE starter_requests SET fulfilled_at = now(), starter_id = %s "
                "WHERE id = %s AND fulfilled_at IS NULL RETURNING member_id",
                (starter_id, request_id),
            )
            row = cur.fetchone()
            if row is None:
                abort(409)
            cur.execute(
                "INSERT INTO swaps (starter_id, recipient_id, swapped_at) VALUES (%s, %s, now())",
                (starter_id, row[0]),
            )
    finally:
        conn.close()
    return jsonify({"fulfilled": request_id})
