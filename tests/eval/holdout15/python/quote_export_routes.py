# You're right — building the CSV of every quote inside the request is what
# trips the 30 s ALB timeout once a branch has a few hundred thousand quotes.
# Here's a fixed version: the POST kicks the export off in a background thread
# and returns 202 immediately, and the client polls the status endpoint until
# the file is ready. This keeps the request fast and the UX responsive.
#
# (Our setup, for reference: gunicorn -w 4 --threads 4, 3 replicas on ECS,
#  behind an ALB with a 30 s idle timeout.)

import csv
import os
import threading
import uuid
from datetime import datetime, timezone

from flask import Blueprint, abort, jsonify, send_file
from flask_login import current_user, login_required
from sqlalchemy import select

from movers.db import SessionLocal
from movers.models import Quote

bp = Blueprint("quote_exports", __name__, url_prefix="/exports")

EXPORT_DIR = "/tmp/quote-exports"
os.makedirs(EXPORT_DIR, exist_ok=True)

# job_id -> {"status": "running" | "done" | "failed", "path": str | None, "branch_id": int}
export_jobs: dict[str, dict] = {}


def _run_export(job_id: str, branch_id: int) -> None:
    path = os.path.join(EXPORT_DIR, f"{job_id}.csv")
    try:
        with SessionLocal() as db, open(path, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["quote_id", "customer", "origin", "destination",
                             "move_date", "cubic_feet", "best_price", "status"])
            stmt = (
                select(Quote)
                .where(Quote.branch_id == branch_id)
                .order_by(Quote.id)
                .execution_options(yield_per=2000)
            )
            for q in db.scalars(stmt):
                writer.writerow([q.id, q.customer_name, q.origin_zip, q.dest_zip,
                                 q.move_date, q.cubic_feet, q.best_price_cents, q.status])
        export_jobs[job_id].update(status="done", path=path)
    except Exception:
        export_jobs[job_id]["status"] = "failed"
        raise


@bp.post("/quotes")
@login_required
def start_export():
    job_id = uuid.uuid4().hex
    export_jobs[job_id] = {"status": "running", "path": None,
                           "branch_id": current_user.branch_id,
                           "started": datetime.now(timezone.utc).isoformat()}
    threading.Thread(target=_run_export, args=(job_id, current_user.branch_id),
                     daemon=True).start()
    return jsonify(job_id=job_id, status_url=f"/exports/quotes/{job_id}"), 202


@bp.get("/quotes/<job_id>")
@login_required
def export_status(job_id):
    job = export_jobs.get(job_id)
    if job is None or job["branch_id"] != current_user.branch_id:
        abort(404)
    return jsonify(status=job["status"],
                   download_url=f"/exports/quotes/{job_id}/file" if job["status"] == "done" else None)


@bp.get("/quotes/<job_id>/file")
@login_required
def export_file(job_id):
    job = export_jobs.get(job_id)
    if job is None or job["branch_id"] != current_user.branch_id or job["status"] != "done":
        abort(404)
    return send_file(job["path"], mimetype="text/csv", as_attachment=True,
                     download_name=f"quotes-{job_id[:8]}.csv")
