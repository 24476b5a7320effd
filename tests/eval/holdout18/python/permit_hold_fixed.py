"""
Fixed permit hold logic -- answer to "two guides grabbed the last 4 places on
the Vatna route at the same time, how do I stop that?"

The problem was reading the remaining capacity and then inserting the hold in a
separate step: two requests can both see "4 left" and both insert. The fix is to
let Postgres do the check and the decrement in ONE statement, and to release
expired holds from a periodic job so the capacity comes back.
"""
import logging
import os
from datetime import date, datetime, timedelta, timezone

import httpx
from celery import Celery
from sqlalchemy import create_engine, text

log = logging.getLogger(__name__)

engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, pool_pre_ping=True)
celery_app = Celery("permits", broker=os.environ["BROKER_URL"])

# one client for the whole process; the timeout applies to every request it makes
bulletin = httpx.Client(base_url="https://avalanche.example.org/api/v2", timeout=httpx.Timeout(5.0, connect=2.0))

HOLD_MINUTES = 15


class NoCapacity(Exception):
    pass


def route_open(route_id: int, tour_date: date) -> bool:
    resp = bulletin.get("/bulletin", params={"route": route_id, "date": tour_date.isoformat()})
    resp.raise_for_status()
    return resp.json().get("danger_level", 5) <= 3


def create_hold(route_id: int, tour_date: date, party_size: int, guide_id: int) -> int:
    hold_until = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
    with engine.begin() as conn:
        # Atomic check-and-decrement: only succeeds if enough places remain.
        res = conn.execute(
            text("""
                UPDATE route_days
                   SET remaining = remaining - :n
                 WHERE route_id = :route AND tour_date = :d AND remaining >= :n
            """),
            {"n": party_size, "route": route_id, "d": tour_date},
        )
        if res.rowcount != 1:
            raise NoCapacity(f"not enough places on route {route_id} for {tour_date}")

        return conn.execute(
            text("""
                INSERT INTO permit_holds (route_id, tour_date, party_size, guide_id, hold_until)
                VALUES (:route, :d, :n, :guide, :until)
                RETURNING id
            """),
            {"route": route_id, "d": tour_date, "n": party_size, "guide": guide_id, "until": hold_until},
        ).scalar_one()


@celery_app.task(name="permits.release_expired_holds")
def release_expired_holds() -> int:
    """Runs every minute from celery beat: delete stale holds and give the places back."""
    with engine.begin() as conn:
        res = conn.execute(text("""
            WITH expired AS (
                DELETE FROM permit_holds
                 WHERE confirmed = false AND hold_until < now()
             RETURNING route_id, tour_date, party_size
            ), released AS (
                SELECT route_id, tour_date, SUM(party_size) AS n
                  FROM expired
                 GROUP BY route_id, tour_date
            )
            UPDATE route_days d
               SET remaining = d.remaining + r.n
              FROM released r
             WHERE d.route_id = r.route_id AND d.tour_date = r.tour_date
        """))
    log.info("released holds on %s route-days", res.rowcount)
    return res.rowcount


celery_app.conf.beat_schedule = {
    "release-expired-permit-holds": {"task": "permits.release_expired_holds", "schedule": 60.0},
}
