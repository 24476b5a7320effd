# Community minibus: driver rota changes pushed from the volunteer-scheduling SaaS.
#
# The SaaS retries a delivery until it gets a 2xx, and sometimes sends the same
# event twice during its own deploys, so each event id is recorded in the same
# transaction as the rota change.
import hashlib
import hmac
import logging
import os

from fastapi import APIRouter, Header, HTTPException, Request
from sqlalchemy import text

from minibus.db import engine

router = APIRouter()
log = logging.getLogger("minibus.rota")

SIGNING_SECRET = os.environ["ROTA_WEBHOOK_SECRET"].encode()


def _check_signature(body: bytes, signature: str) -> None:
    digest = hmac.new(SIGNING_SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(f"sha256={digest}", signature):
        raise HTTPException(status_code=401, detail="bad signature")


@router.post("/webhooks/rota")
async def rota_event(request: Request, x_rota_signature: str = Header(...)):
    body = await request.body()
    _check_signature(body, x_rota_signature)
    event = await request.json()

    with engine.begin() as conn:
        first_time = conn.execute(
            text(
                "INSERT INTO rota_webhook_events (event_id, event_type, received_at) "
                "VALUES (:id, :type, now()) ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
            ),
            {"id": event["id"], "type": event["type"]},
        ).first()
        if first_time is None:
            log.info("rota event %s already applied, skipping", event["id"])
            return {"status": "duplicate"}

        shift = event["data"]
        if event["type"] == "shift.assigned":
            # (run_id) is unique in driver_shifts: one driver per minibus run.
            conn.execute(
                text(
                    "INSERT INTO driver_shifts (run_id, driver_id, route, starts_at) "
                    "VALUES (:run, :driver, :route, :starts) "
                    "ON CONFLICT (run_id) DO UPDATE SET driver_id = EXCLUDED.driver_id"
                ),
                {"run": shift["run_id"], "driver": shift["driver_id"],
                 "route": shift["route"], "starts": shift["starts_at"]},
            )
        elif event["type"] == "shift.released":
            conn.execute(
                text("UPDATE driver_shifts SET driver_id = NULL WHERE run_id = :run AND driver_id = :driver"),
                {"run": shift["run_id"], "driver": shift["driver_id"]},
            )
        else:
            log.info("ignoring rota event type %s", event["type"])

    return {"status": "applied"}
