# Here's a corrected version of your car-deck hold endpoint. What changed:
#  1. The "is there still deck space?" check and the INSERT now run in one transaction
#     that locks the sailing row (SELECT ... FOR UPDATE), so two cars can no longer
#     both grab the last 5 metres of the low lane.
#  2. Holds carry expires_at, and a Celery beat job deletes expired ones every minute.
#  3. The availability cache is rebuilt by one request at a time (Redis SET NX lock).
import json, os, time, uuid
from datetime import timedelta

import redis
from celery import Celery
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, max_overflow=10, pool_pre_ping=True)
rds = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2)
celery = Celery("ferry", broker=os.environ["REDIS_URL"])
celery.conf.beat_schedule = {"purge-expired-deck-holds": {"task": "ferry_deck.purge_expired_holds", "schedule": 60.0}}
app = FastAPI()

HOLD_TTL = timedelta(minutes=12)
AVAIL_TTL = 30


class HoldRequest(BaseModel):
    booking_ref: str = Field(min_length=6, max_length=12)
    vehicle_length_m: float = Field(gt=0, le=18.75)
    vehicle_height_m: float = Field(gt=0, le=4.5)


@app.post("/sailings/{sailing_id}/holds", status_code=201)
def hold_deck_space(sailing_id: int, req: HoldRequest):
    lane = "high" if req.vehicle_height_m > 2.0 else "low"
    with engine.begin() as conn:
        sailing = conn.execute(
            text("SELECT low_lane_m, high_lane_m FROM sailings WHERE id = :id FOR UPDATE"),
            {"id": sailing_id},
        ).mappings().first()
        if sailing is None:
            raise HTTPException(404, "unknown sailing")
        used = conn.execute(
            text("""
                SELECT coalesce(sum(length_m), 0) FROM deck_allocations
                 WHERE sailing_id = :id AND lane = :lane
                   AND (confirmed OR expires_at > now())
            """),
            {"id": sailing_id, "lane": lane},
        ).scalar_one()
        if used + req.vehicle_length_m > sailing[f"{lane}_lane_m"]:
            raise HTTPException(409, "no deck space left in that lane")
        hold_id = conn.execute(
            text("""
                INSERT INTO deck_allocations (sailing_id, lane, length_m, booking_ref, confirmed, expires_at)
                VALUES (:id, :lane, :len, :ref, false, now() + :ttl)
                ON CONFLICT (sailing_id, booking_ref) DO NOTHING
                RETURNING id
            """),
            {"id": sailing_id, "lane": lane, "len": req.vehicle_length_m,
             "ref": req.booking_ref, "ttl": HOLD_TTL},
        ).scalar_one_or_none()
    if hold_id is None:
        raise HTTPException(409, "this booking already holds space on that sailing")
    rds.delete(f"avail:{sailing_id}")
    return {"hold_id": hold_id, "expires_in_s": int(HOLD_TTL.total_seconds())}


@app.post("/holds/{hold_id}/confirm")
def confirm_hold(hold_id: int):
    with engine.begin() as conn:
        row = conn.execute(
            text("UPDATE deck_allocations SET confirmed = true, expires_at = NULL "
                 "WHERE id = :id AND NOT confirmed AND expires_at > now() RETURNING sailing_id"),
            {"id": hold_id},
        ).first()
    if row is None:
        raise HTTPException(410, "hold expired")
    rds.delete(f"avail:{row.sailing_id}")
    return {"confirmed": True}


def _compute_availability(sailing_id: int) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT lane, sum(length_m) AS used FROM deck_allocations "
                 "WHERE sailing_id = :id AND (confirmed OR expires_at > now()) GROUP BY lane"),
            {"id": sailing_id},
        ).all()
    return {r.lane: float(r.used) for r in rows}


@app.get("/sailings/{sailing_id}/availability")
def availability(sailing_id: int):
    key = f"avail:{sailing_id}"
    for _ in range(40):  # wait at most ~2 s for whoever is rebuilding
        cached = rds.get(key)
        if cached is not None:
            return json.loads(cached)
        token = uuid.uuid4().hex
        if rds.set(f"{key}:lock", token, nx=True, ex=10):
            try:
                data = _compute_availability(sailing_id)
                rds.set(key, json.dumps(data), ex=AVAIL_TTL)
                return data
            finally:
                if rds.get(f"{key}:lock") == token.encode():
                    rds.delete(f"{key}:lock")
        time.sleep(0.05)
    raise HTTPException(503, "availability is being recalculated, retry shortly")


@celery.task
def purge_expired_holds() -> int:
    with engine.begin() as conn:
        return conn.execute(
            text("DELETE FROM deck_allocations WHERE NOT confirmed AND expires_at < now()")
        ).rowcount
