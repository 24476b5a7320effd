# translation_portal/jobs_api.py
# Served by gunicorn (-w 4 --threads 8) behind nginx. Every agency is a tenant;
# g.agency_id is set by the API-key middleware in auth.py before any view runs.
from contextlib import contextmanager

import psycopg2.extras
from flask import Blueprint, abort, g, jsonify, request

from .db import pool  # psycopg2 ThreadedConnectionPool, created once at import

bp = Blueprint("jobs", __name__, url_prefix="/api/jobs")
PAGE = 50


@contextmanager
def cursor():
    conn = pool.getconn()
    try:
        with conn:
            with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
                yield cur
    finally:
        pool.putconn(conn)


def _attach_translators(cur, jobs):
    """Embed translator name + language pairs so the dashboard needs one call."""
    for job in jobs:
        if job["translator_id"] is None:
            job["translator"] = None
            continue
        cur.execute(
            "SELECT id, full_name, language_pairs FROM translators WHERE id = %s AND agency_id = %s",
            (job["translator_id"], g.agency_id),
        )
        job["translator"] = cur.fetchone()
    return jobs


@bp.get("")
def list_jobs():
    status = request.args.get("status", "open")
    page = max(int(request.args.get("page", 1)), 1)
    with cursor() as cur:
        cur.execute(
            """SELECT id, client_ref, source_lang, target_lang, word_count, due_at, status, translator_id
                 FROM translation_jobs
                WHERE agency_id = %s AND status = %s
                ORDER BY due_at
                LIMIT %s OFFSET %s""",
            (g.agency_id, status, PAGE, (page - 1) * PAGE),
        )
        jobs = _attach_translators(cur, cur.fetchall())
    return jsonify(jobs=jobs, page=page)


@bp.get("/<int:job_id>")
def get_job(job_id):
    with cursor() as cur:
        cur.execute(
            "SELECT * FROM translation_jobs WHERE id = %s AND agency_id = %s",
            (job_id, g.agency_id),
        )
        job = cur.fetchone()
    if job is None:
        abort(404)
    return jsonify(job)


@bp.post("/<int:job_id>/assign")
def assign(job_id):
    translator_id = request.get_json()["translator_id"]
    with cursor() as cur:
        cur.execute("SELECT 1 FROM translators WHERE id = %s AND agency_id = %s", (translator_id, g.agency_id))
        if cur.fetchone() is None:
            abort(400, "unknown translator")
        cur.execute(
            """UPDATE translation_jobs SET translator_id = %s, status = 'assigned'
                WHERE id = %s AND agency_id = %s AND status = 'open'
            RETURNING id""",
            (translator_id, job_id, g.agency_id),
        )
        if cur.fetchone() is None:
            abort(409, "job not open")
    return jsonify(ok=True)


@bp.post("/<int:job_id>/deliver")
def deliver(job_id):
    body = request.get_json()
    with cursor() as cur:
        cur.execute(
            """UPDATE translation_jobs SET status = 'delivered', delivered_file_key = %s, delivered_at = now()
                WHERE id = %s AND status = 'assigned'
            RETURNING id, client_ref""",
            (body["file_key"], job_id),
        )
        row = cur.fetchone()
    if row is None:
        abort(409, "job not in assigned state")
    return jsonify(delivered=row)
