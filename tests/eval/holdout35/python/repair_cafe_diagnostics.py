"""Diagnostic write-ups for repair cafe appliance tickets.

Producing the write-up means pulling the service manual pages and running
them through the summariser, which takes a minute or two, so the endpoint
only records a job and answers 202; the page polls the status URL.
"""
import logging

from celery import shared_task
from fastapi import APIRouter, Depends, HTTPException, Response, status
from openai import OpenAI
from sqlalchemy import select

from .auth import Volunteer, current_volunteer
from .db import SessionLocal
from .manuals import fetch_manual_pages
from .models import ApplianceTicket, DiagnosticJob

router = APIRouter(prefix="/cafes/{cafe_id}")
log = logging.getLogger(__name__)

llm = OpenAI(timeout=90.0, max_retries=2)


def _require_cafe(cafe_id: int, volunteer: Volunteer) -> None:
    if volunteer.cafe_id != cafe_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN)


@router.post("/tickets/{ticket_id}/diagnostics", status_code=status.HTTP_202_ACCEPTED)
def request_diagnostic(cafe_id: int, ticket_id: int, response: Response, volunteer: Volunteer = Depends(current_volunteer)):
    _require_cafe(cafe_id, volunteer)
    with SessionLocal.begin() as db:
        ticket = db.scalars(
            select(ApplianceTicket).where(ApplianceTicket.id == ticket_id, ApplianceTicket.cafe_id == cafe_id)
        ).one_or_none()
        if ticket is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND)
        job = DiagnosticJob(cafe_id=cafe_id, ticket_id=ticket.id, status="queued", requested_by=volunteer.id)
        db.add(job)
        db.flush()
        job_id = job.id
    build_diagnostic.delay(job_id)
    response.headers["Location"] = f"/cafes/{cafe_id}/diagnostic-jobs/{job_id}"
    return {"job_id": job_id, "status": "queued"}


@router.get("/diagnostic-jobs/{job_id}")
def diagnostic_status(cafe_id: int, job_id: int, volunteer: Volunteer = Depends(current_volunteer)):
    _require_cafe(cafe_id, volunteer)
    with SessionLocal() as db:
        job = db.scalars(
            select(DiagnosticJob).where(DiagnosticJob.id == job_id, DiagnosticJob.cafe_id == cafe_id)
        ).one_or_none()
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    return {"job_id": job.id, "status": job.status, "write_up": job.write_up if job.status == "done" else None}


@shared_task(acks_late=True)
def build_diagnostic(job_id: int) -> None:
    with SessionLocal.begin() as db:
        job = db.get(DiagnosticJob, job_id)
        ticket = db.get(ApplianceTicket, job.ticket_id)
        job.status = "running"
        appliance, fault = ticket.appliance, ticket.fault_summary
    try:
        pages = fetch_manual_pages(appliance, limit=12)
        completion = llm.chat.completions.create(
            model="gpt-4o-mini",
            messages=[
                {"role": "system", "content": "Summarise likely faults and safe checks for a volunteer fixer."},
                {"role": "user", "content": f"Appliance: {appliance}\nFault: {fault}\n\n" + "\n\n".join(pages)},
            ],
        )
        write_up, final_status = completion.choices[0].message.content, "done"
    except Exception:
        log.exception("diagnostic job %s failed", job_id)
        with SessionLocal.begin() as db:
            db.get(DiagnosticJob, job_id).status = "failed"
        raise
    with SessionLocal.begin() as db:
        job = db.get(DiagnosticJob, job_id)
        job.status, job.write_up = final_status, write_up
