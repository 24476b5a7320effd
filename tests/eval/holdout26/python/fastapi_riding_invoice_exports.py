"""Monthly invoice export for the riding stable's lesson bookings.

The office clicks "Export to accounts" at month end; we build the invoice
lines for every lesson taken that month and push them to the accounting
service. Deployed on the cluster as `stable-api`, replicas: 3.
"""
import csv
import io
import uuid
from datetime import date, datetime, timezone

import httpx
from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException
from sqlalchemy import text

from stable.auth import require_office_staff
from stable.db import engine
from stable.settings import ACCOUNTS_API_TOKEN, ACCOUNTS_API_URL

router = APIRouter(prefix="/exports", dependencies=[Depends(require_office_staff)])

# job_id -> {"status": ..., "month": ..., "lines": ..., "error": ...}
_export_jobs: dict[str, dict] = {}


def _invoice_csv(month: date) -> tuple[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT r.account_code, r.full_name, l.taken_on, l.kind, l.price_pence "
                "FROM lesson_slots l JOIN riders r ON r.id = l.rider_id "
                "WHERE l.taken_on >= :start AND l.taken_on < (:start + interval '1 month') "
                "AND l.status = 'taken' ORDER BY r.account_code, l.taken_on"
            ),
            {"start": month},
        )
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["account", "rider", "date", "lesson", "amount"])
        count = 0
        for r in rows:
            writer.writerow([r.account_code, r.full_name, r.taken_on.isoformat(), r.kind, f"{r.price_pence / 100:.2f}"])
            count += 1
    return buf.getvalue(), count


def _run_export(job_id: str, month: date) -> None:
    job = _export_jobs[job_id]
    job["status"] = "running"
    try:
        body, count = _invoice_csv(month)
        headers = {"Authorization": f"Bearer {ACCOUNTS_API_TOKEN}", "Content-Type": "text/csv"}
        # large months can take the accounts service a while to ingest
        resp = httpx.post(f"{ACCOUNTS_API_URL}/imports/sales-invoices", content=body.encode(), headers=headers, timeout=None)
        resp.raise_for_status()
        job.update(status="done", lines=count, finished_at=datetime.now(timezone.utc).isoformat())
    except Exception as exc:
        job.update(status="failed", error=str(exc))
        raise


@router.post("/{year}/{month}", status_code=202)
def start_export(year: int, month: int, background: BackgroundTasks):
    try:
        first = date(year, month, 1)
    except ValueError:
        raise HTTPException(400, "invalid month")
    job_id = uuid.uuid4().hex
    _export_jobs[job_id] = {"status": "queued", "month": first.isoformat()}
    background.add_task(_run_export, job_id, first)
    return {"job_id": job_id, "status_url": f"/exports/jobs/{job_id}"}


@router.get("/jobs/{job_id}")
def export_status(job_id: str):
    job = _export_jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "unknown export job")
    return job
