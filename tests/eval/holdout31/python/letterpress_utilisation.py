# app/services/utilisation.py
# Press utilisation panel for a studio's admin dashboard: hours booked per press
# per week over the last quarter. The numbers are per studio (tenant), identical
# for every admin of that studio, so the cache key is the studio, not the user.
import json
import time
import uuid
from datetime import date, timedelta

from redis import Redis
from sqlalchemy import text
from sqlalchemy.orm import Session

FRESH_SECONDS = 300          # serve without recomputing for 5 minutes
STALE_SECONDS = 3600         # keep the last good copy around for an hour
LOCK_SECONDS = 30

UTILISATION_SQL = text(
    """
    SELECT p.name AS press,
           date_trunc('week', b.starts_at)::date AS week,
           SUM(EXTRACT(EPOCH FROM (b.ends_at - b.starts_at)) / 3600.0) AS hours
    FROM press_bookings b
    JOIN presses p ON p.id = b.press_id AND p.studio_id = :studio_id
    WHERE b.studio_id = :studio_id
      AND b.starts_at >= :since
      AND b.cancelled_at IS NULL
    GROUP BY p.name, week
    ORDER BY week, p.name
    """
)

_RELEASE_LOCK = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class UtilisationPanel:
    def __init__(self, redis: Redis, db: Session) -> None:
        self.redis = redis
        self.db = db

    def _compute(self, studio_id: int) -> dict:
        since = date.today() - timedelta(weeks=13)
        rows = self.db.execute(UTILISATION_SQL, {"studio_id": studio_id, "since": since}).mappings()
        data = [{"press": r["press"], "week": r["week"].isoformat(), "hours": float(r["hours"])} for r in rows]
        return {"computed_at": time.time(), "rows": data}

    def get(self, studio_id: int) -> dict:
        key = f"studio:{studio_id}:utilisation"
        raw = self.redis.get(key)
        cached = json.loads(raw) if raw else None
        if cached and time.time() - cached["computed_at"] < FRESH_SECONDS:
            return cached

        # Only one request per studio recomputes; the others keep serving the stale copy.
        token = uuid.uuid4().hex
        lock_key = f"{key}:lock"
        if self.redis.set(lock_key, token, nx=True, ex=LOCK_SECONDS):
            try:
                fresh = self._compute(studio_id)
                self.redis.set(key, json.dumps(fresh), ex=STALE_SECONDS)
                return fresh
            finally:
                self.redis.eval(_RELEASE_LOCK, 1, lock_key, token)

        if cached:
            return cached

        # Cold cache and another request is computing it: the panel shows a
        # placeholder and asks again on its next refresh.
        return {"computed_at": None, "rows": [], "pending": True}
