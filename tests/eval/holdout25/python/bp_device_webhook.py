# Webhook receiver for home blood-pressure cuffs (vendor pushes readings).
# FastAPI app, 4 uvicorn workers behind nginx.
import hashlib
import hmac
import logging
import os

from fastapi import FastAPI, Header, HTTPException, Request
from sqlalchemy import text

from .database import engine

log = logging.getLogger("bp.webhook")
app = FastAPI()
SECRET = os.environ["CUFF_WEBHOOK_SECRET"].encode()


def _verify(body: bytes, signature: str) -> None:
    expected = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature or ""):
        raise HTTPException(status_code=401, detail="bad signature")


@app.post("/webhooks/cuff-readings")
async def cuff_readings(request: Request,
                        x_cuff_signature: str = Header(None)):
    body = await request.body()
    _verify(body, x_cuff_signature)
    event = await request.json()

    with engine.begin() as conn:
        # The vendor retries deliveries; the processed_events primary key
        # makes a redelivery a no-op.
        inserted = conn.execute(
            text(
                "INSERT INTO processed_events (source, event_id, received_at) "
                "VALUES ('cuff', :eid, now()) ON CONFLICT DO NOTHING"
            ),
            {"eid": event["event_id"]},
        ).rowcount
        if inserted == 0:
            return {"status": "duplicate"}

        patient = conn.execute(
            text(
                "SELECT id, clinic_id FROM patients "
                "WHERE device_serial = :serial AND clinic_id = :clinic"
            ),
            {"serial": event["device_serial"], "clinic": event["clinic_ref"]},
        ).first()
        if patient is None:
            log.warning("reading for unknown device %s", event["device_serial"])
            return {"status": "ignored"}

        conn.execute(
            text(
                "INSERT INTO bp_readings "
                "(patient_id, clinic_id, systolic, diastolic, pulse, taken_at) "
                "VALUES (:p, :c, :sys, :dia, :pulse, :ts)"
            ),
            {"p": patient.id, "c": patient.clinic_id,
             "sys": event["systolic"], "dia": event["diastolic"],
             "pulse": event.get("pulse"), "ts": event["taken_at"]},
        )
        if event["systolic"] >= 180 or event["diastolic"] >= 120:
            conn.execute(
                text(
                    "INSERT INTO clinician_alerts (patient_id, clinic_id, kind) "
                    "VALUES (:p, :c, 'hypertensive_crisis')"
                ),
                {"p": patient.id, "c": patient.clinic_id},
            )
    return {"status": "stored"}
