"""Dial-a-ride trip requests: accept now, plan in the background.

Booking a trip means geocoding the pickup, checking the passenger's
wheelchair needs against the fleet and slotting it into a driver's run -
several seconds at busy times. The API answers 202 with a job id and the
phone app polls /trips/jobs/<id> until the trip is planned.
"""
import os
import uuid

import requests
from celery import Celery
from flask import Blueprint, g, jsonify, request, url_for
from requests.adapters import HTTPAdapter
from sqlalchemy import text

from .db import engine
from .planner import slot_into_run

celery_app = Celery("dialaride", broker=os.environ["CELERY_BROKER_URL"])
bp = Blueprint("trips", __name__, url_prefix="/trips")

GEOCODER_URL = os.environ["GEOCODER_URL"]
_http = requests.Session()
_http.mount("https://", HTTPAdapter(pool_connections=4, pool_maxsize=10))


@bp.post("")
def request_trip():
    body = request.get_json(force=True)
    job_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO trip_jobs (id, operator_id, passenger_id, status, payload) "
                "VALUES (:id, :op, :pid, 'queued', CAST(:payload AS jsonb))"
            ),
            {"id": job_id, "op": g.operator_id, "pid": g.passenger_id, "payload": request.data.decode()},
        )
    plan_trip.delay(job_id)
    return (
        jsonify(job_id=job_id, status="queued", poll=url_for("trips.job_status", job_id=job_id)),
        202,
    )


@bp.get("/jobs/<job_id>")
def job_status(job_id: str):
    with engine.connect() as conn:
        job = conn.execute(
            text(
                "SELECT status, trip_id, error FROM trip_jobs "
                "WHERE id = :id AND operator_id = :op AND passenger_id = :pid"
            ),
            {"id": job_id, "op": g.operator_id, "pid": g.passenger_id},
        ).mappings().first()
    if job is None:
        return jsonify(error="not found"), 404
    return jsonify(dict(job))


@celery_app.task(
    bind=True,
    autoretry_for=(requests.ConnectionError, requests.Timeout),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
)
def plan_trip(self, job_id: str) -> None:
    with engine.connect() as conn:
        job = conn.execute(
            text("SELECT operator_id, passenger_id, payload FROM trip_jobs WHERE id = :id"),
            {"id": job_id},
        ).mappings().one()

    resp = _http.get(
        GEOCODER_URL,
        params={"q": job["payload"]["pickup_address"], "countrycodes": "gb", "limit": 1},
        timeout=(3, 10),
    )
    resp.raise_for_status()
    hit = resp.json()[0]

    trip_id = slot_into_run(
        operator_id=job["operator_id"],
        passenger_id=job["passenger_id"],
        pickup=(float(hit["lat"]), float(hit["lon"])),
        request=job["payload"],
    )

    with engine.begin() as conn:
        conn.execute(
            text("UPDATE trip_jobs SET status = 'planned', trip_id = :trip WHERE id = :id"),
            {"trip": trip_id, "id": job_id},
        )
