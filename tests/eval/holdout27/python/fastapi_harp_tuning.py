"""Harp tuning appointments: deposit webhook and reminder batch jobs.

Deployed on the cluster as the `harp-api` Deployment (replicas: 3) behind
the ingress; Postgres is the system of record.
"""
import hashlib
import hmac
import os
import uuid
from datetime import datetime, timedelta, timezone

from fastapi import BackgroundTasks, Depends, FastAPI, Header, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_session, session_factory
from .models import Appointment, DepositPayment
from .notify import send_confirmation, send_reminder

app = FastAPI(title="harp-tuning")
WEBHOOK_SECRET = os.environ["PAYMENTS_WEBHOOK_SECRET"].encode()

# job_id -> {"status": ..., "sent": int, "total": int}
reminder_jobs: dict[str, dict] = {}


def _verify(body: bytes, signature: str) -> None:
    expected = hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise HTTPException(400, "bad signature")


@app.post("/webhooks/deposits")
async def deposit_webhook(
    request: Request,
    x_signature: str = Header(...),
    db: AsyncSession = Depends(get_session),
):
    raw = await request.body()
    _verify(raw, x_signature)
    event = await request.json()
    if event["type"] != "payment.succeeded":
        return {"ignored": event["type"]}

    appt = await db.get(Appointment, int(event["data"]["metadata"]["appointment_id"]))
    if appt is None:
        raise HTTPException(404, "unknown appointment")

    db.add(
        DepositPayment(
            appointment_id=appt.id,
            amount_pence=event["data"]["amount"],
            provider_ref=event["data"]["id"],
        )
    )
    appt.deposit_paid_pence = event["data"]["amount"]
    appt.status = "confirmed"
    await db.commit()
    await send_confirmation(appt)  # email + SMS to the harpist
    return {"ok": True}


async def _run_reminders(job_id: str) -> None:
    job = reminder_jobs[job_id]
    tomorrow = datetime.now(timezone.utc).date() + timedelta(days=1)
    async with session_factory() as db:
        appts = (
            await db.scalars(
                select(Appointment)
                .where(Appointment.visit_date == tomorrow, Appointment.status == "confirmed")
                .limit(500)
            )
        ).all()
        job["total"] = len(appts)
        for appt in appts:
            await send_reminder(appt)
            job["sent"] += 1
    job["status"] = "done"


@app.post("/admin/reminders", status_code=202)
async def start_reminders(background: BackgroundTasks):
    job_id = uuid.uuid4().hex
    reminder_jobs[job_id] = {"status": "running", "sent": 0, "total": None}
    background.add_task(_run_reminders, job_id)
    return {"job_id": job_id, "poll": f"/admin/reminders/{job_id}"}


@app.get("/admin/reminders/{job_id}")
async def reminder_status(job_id: str):
    job = reminder_jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such job")
    return job
