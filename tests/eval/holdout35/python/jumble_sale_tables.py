"""Village hall jumble sale: table plan and stallholder labels.

Served by gunicorn -w 4 behind nginx. On sale morning the public floor plan
page is left open on phones in the queue and auto-refreshes every 15 s.
"""
import json
import logging
import threading
import uuid

import redis
import requests
from flask import Blueprint, abort, jsonify
from sqlalchemy import text

from .auth import committee_required
from .db import engine
from .render import render_floorplan_svg
from .settings import settings

bp = Blueprint("jumble", __name__)
log = logging.getLogger(__name__)

rds = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
print_http = requests.Session()

FLOORPLAN_TTL = 30
_label_jobs: dict[str, dict] = {}


def _build_floorplan(hall_id: int) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT t.id, t.label, t.x, t.y, t.width, t.depth, b.stallholder_name, b.category, "
                "(SELECT COUNT(*) FROM table_waitlist w WHERE w.table_id = t.id) AS waiting "
                "FROM hall_tables t LEFT JOIN table_bookings b ON b.table_id = t.id AND b.status = 'confirmed' "
                "WHERE t.hall_id = :hall ORDER BY t.label"
            ),
            {"hall": hall_id},
        ).mappings().all()
    tables = [dict(r) for r in rows]
    return {"hall_id": hall_id, "tables": tables, "svg": render_floorplan_svg(tables)}


@bp.get("/halls/<int:hall_id>/floorplan")
def floorplan(hall_id: int):
    cached = rds.get(f"jumble:floorplan:{hall_id}")
    if cached is not None:
        return jsonify(json.loads(cached))
    plan = _build_floorplan(hall_id)
    rds.setex(f"jumble:floorplan:{hall_id}", FLOORPLAN_TTL, json.dumps(plan))
    return jsonify(plan)


def _print_labels(job_id: str, hall_id: int) -> None:
    job = _label_jobs[job_id]
    try:
        with engine.connect() as conn:
            names = conn.execute(
                text(
                    "SELECT t.label, b.stallholder_name FROM table_bookings b JOIN hall_tables t ON t.id = b.table_id "
                    "WHERE t.hall_id = :hall AND b.status = 'confirmed' ORDER BY t.label"
                ),
                {"hall": hall_id},
            ).all()
        job["total"] = len(names)
        resp = print_http.post(
            f"{settings.PRINT_SHOP_URL}/label-batches",
            json={"labels": [{"title": n.label, "subtitle": n.stallholder_name} for n in names]},
            timeout=(3, 30),
        )
        resp.raise_for_status()
        job.update(status="done", batch_url=resp.json()["batch_url"])
    except Exception:
        log.exception("label job %s failed", job_id)
        job["status"] = "failed"


@bp.post("/halls/<int:hall_id>/labels")
@committee_required
def start_label_job(hall_id: int):
    job_id = uuid.uuid4().hex
    _label_jobs[job_id] = {"status": "running", "hall_id": hall_id, "total": None}
    threading.Thread(target=_print_labels, args=(job_id, hall_id), daemon=True).start()
    return jsonify(job_id=job_id), 202


@bp.get("/labels/<job_id>")
@committee_required
def label_job_status(job_id: str):
    job = _label_jobs.get(job_id)
    if job is None:
        abort(404)
    return jsonify(job)
