"""Enrolment endpoints for the drystone walling apprenticeship scheme.

Each cohort runs on a single estate with a fixed number of places (usually 8),
because one master waller can only supervise so many people on a wall face.
"""
import logging
from datetime import datetime, timezone

import psycopg2.extras
from flask import Blueprint, g, jsonify, request

from .db import get_conn  # pooled psycopg2 connection bound to the app context
from .mailer import send_welcome_pack

bp = Blueprint("apprenticeships", __name__, url_prefix="/api/cohorts")
log = logging.getLogger(__name__)

PAGE_SIZE = 25


@bp.get("/")
def list_cohorts():
    page = max(int(request.args.get("page", 1)), 1)
    conn = get_conn()
    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(
            """
            SELECT id, estate_name, county, places, starts_on
            FROM cohorts
            WHERE starts_on >= CURRENT_DATE
            ORDER BY starts_on
            LIMIT %s OFFSET %s
            """,
            (PAGE_SIZE, (page - 1) * PAGE_SIZE),
        )
        rows = cur.fetchall()
    return jsonify(cohorts=rows, page=page)


def _cohort_or_none(cur, cohort_id):
    cur.execute(
        "SELECT id, estate_name, places, starts_on FROM cohorts WHERE id = %s",
        (cohort_id,),
    )
    return cur.fetchone()


@bp.post("/<int:cohort_id>/enrol")
def enrol(cohort_id):
    body = request.get_json(force=True) or {}
    apprentice_id = g.user.id
    conn = get_conn()
    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cohort = _cohort_or_none(cur, cohort_id)
        if cohort is None:
            return jsonify(error="cohort not found"), 404

        # Count confirmed places so we never over-subscribe a wall face.
        cur.execute(
            "SELECT count(*) AS taken FROM enrolments WHERE cohort_id = %s AND status = 'confirmed'",
            (cohort_id,),
        )
        taken = cur.fetchone()["taken"]
        if taken >= cohort["places"]:
            return jsonify(error="cohort is full", waitlist=True), 409

        cur.execute(
            """
            INSERT INTO enrolments (cohort_id, apprentice_id, status, boot_size, enrolled_at)
            VALUES (%s, %s, 'confirmed', %s, %s)
            RETURNING id
            """,
            (cohort_id, apprentice_id, body.get("boot_size"), datetime.now(timezone.utc)),
        )
        enrolment_id = cur.fetchone()["id"]
    conn.commit()
    log.info("apprentice %s enrolled on cohort %s", apprentice_id, cohort_id)

    # The welcome pack lists PPE, the estate's parking and the first day's stone delivery.
    try:
        send_welcome_pack(apprentice_id, cohort["estate_name"], cohort["starts_on"])
    except Exception:
        pass

    return jsonify(id=enrolment_id, cohort=cohort_id, status="confirmed"), 201
