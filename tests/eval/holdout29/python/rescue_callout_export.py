"""Callout log exports for mountain rescue team debriefs and annual returns.

An export can cover a whole year of radio check-ins, so the request only
queues the job and returns 202; the client polls the status URL.
"""
import csv
import io
import logging
import uuid

from celery import shared_task
from flask import Blueprint, abort, g, jsonify, url_for
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from .auth import team_member_required
from .db import engine
from .storage import upload_export

log = logging.getLogger(__name__)
bp = Blueprint("exports", __name__, url_prefix="/exports")


@bp.post("/year/<int:year>")
@team_member_required
def request_export(year: int):
    export_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO exports (id, team_id, year, status, requested_by) "
            "VALUES (:id, :team_id, :year, 'queued', :user_id)"
        ), {"id": export_id, "team_id": g.member.team_id, "year": year, "user_id": g.member.id})
    build_callout_export.delay(export_id, g.member.team_id, year)
    return jsonify(id=export_id, status_url=url_for("exports.export_status", export_id=export_id)), 202


@bp.get("/<uuid:export_id>")
@team_member_required
def export_status(export_id):
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT status, download_url, error FROM exports WHERE id = :id AND team_id = :team_id"
        ), {"id": str(export_id), "team_id": g.member.team_id}).mappings().first()
    if row is None:
        abort(404)
    return jsonify(dict(row))


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,          # 5s, 10s, 20s, ...
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def build_callout_export(self, export_id: str, team_id: int, year: int) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["callout", "callsign", "grid_ref", "status", "received_at"])

    with engine.connect() as conn:
        conn.execute(text("UPDATE exports SET status = 'running' WHERE id = :id"), {"id": export_id})
        conn.commit()
        result = conn.execution_options(stream_results=True, yield_per=2000).execute(text(
            "SELECT c.reference, r.callsign, r.grid_ref, r.status, r.received_at "
            "FROM radio_checkins r JOIN callouts c ON c.id = r.callout_id "
            "WHERE r.team_id = :team_id "
            "AND r.received_at >= make_date(:year, 1, 1) "
            "AND r.received_at < make_date(:year + 1, 1, 1) "
            "ORDER BY r.received_at"
        ), {"team_id": team_id, "year": year})
        for partition in result.partitions():
            writer.writerows(partition)

    try:
        url = upload_export(f"callouts/{team_id}/{year}/{export_id}.csv", buf.getvalue())
    except Exception as exc:
        log.exception("upload failed for export %s", export_id)
        with engine.begin() as conn:
            conn.execute(text(
                "UPDATE exports SET status = 'failed', error = :err WHERE id = :id"
            ), {"id": export_id, "err": str(exc)[:500]})
        raise

    with engine.begin() as conn:
        conn.execute(text(
            "UPDATE exports SET status = 'done', download_url = :url, finished_at = now() "
            "WHERE id = :id"
        ), {"id": export_id, "url": url})
