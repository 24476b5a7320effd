"""Payroll run API.

Calculating a run for a large employer takes several minutes, so the endpoint
only records the request and hands it to Celery; the UI polls the run row.
Deployed as 4 gunicorn/uvicorn workers on 2 pods; nothing here is kept in
process memory.
"""
import logging
import uuid

from celery import shared_task
from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from payroll.auth import Employer, current_employer
from payroll.calc import calculate_lines
from payroll.db import SessionLocal, get_db
from payroll.models import PayrollRun

log = logging.getLogger(__name__)
router = APIRouter(prefix="/payroll-runs")


@router.post("", status_code=status.HTTP_202_ACCEPTED)
def start_run(period: str, employer: Employer = Depends(current_employer), db: Session = Depends(get_db)):
    run = PayrollRun(id=uuid.uuid4(), employer_id=employer.id, period=period, status="queued")
    db.add(run)
    db.commit()     # unique (employer_id, period) -> IntegrityError handled by the global handler as 409
    calculate_run.delay(str(run.id))
    return {"id": str(run.id), "status": run.status, "poll": f"/payroll-runs/{run.id}"}


@router.get("/{run_id}")
def get_run(run_id: uuid.UUID, employer: Employer = Depends(current_employer), db: Session = Depends(get_db)):
    run = db.scalar(select(PayrollRun).where(PayrollRun.id == run_id,
                                             PayrollRun.employer_id == employer.id))
    if run is None:
        raise HTTPException(404)
    return {"id": str(run.id), "status": run.status, "employees": run.employee_count,
            "gross_total": str(run.gross_total) if run.gross_total is not None else None,
            "error": run.error}


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), max_retries=3,
             retry_backoff=True, retry_backoff_max=300, retry_jitter=True)
def calculate_run(self, run_id: str):
    with SessionLocal() as db:
        # claim the run; a redelivered message for a run that's already running does nothing
        run = db.execute(
            select(PayrollRun).where(PayrollRun.id == run_id).with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if run is None or run.status not in ("queued", "retrying"):
            return
        run.status = "running"
        db.commit()

        try:
            lines = calculate_lines(db, run)       # minutes for 20k employees
            db.execute(text("DELETE FROM payroll_lines WHERE run_id = :r"), {"r": run_id})
            db.execute(
                text("INSERT INTO payroll_lines (run_id, employee_id, gross, tax, net) "
                     "VALUES (:run_id, :employee_id, :gross, :tax, :net)"),
                [dict(run_id=run_id, **line) for line in lines],
            )
            db.execute(
                update(PayrollRun).where(PayrollRun.id == run_id).values(
                    status="calculated", employee_count=len(lines),
                    gross_total=sum(line["gross"] for line in lines)),
            )
            db.commit()
        except Exception as exc:
            db.rollback()
            log.exception("payroll run %s failed", run_id)
            db.execute(update(PayrollRun).where(PayrollRun.id == run_id)
                       .values(status="retrying", error=str(exc)[:500]))
            db.commit()
            raise
