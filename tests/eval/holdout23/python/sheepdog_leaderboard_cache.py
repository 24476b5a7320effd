"""Public leaderboard for a sheepdog trial day.

Hundreds of phones in the spectator field refresh this during the final, so
the ranking is computed once per trial and shared by everyone from Redis.
Only one process recomputes after expiry; the rest keep serving the last
copy until the new one lands.
"""
import json
import logging
import random
import time
import uuid

import redis
from sqlalchemy import text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

FRESH_SECONDS = 20          # how long a ranking counts as current
STALE_SECONDS = 600         # how long the last copy is kept as a fallback
LOCK_SECONDS = 15

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""


class Leaderboard:
    def __init__(self, engine: Engine, r: redis.Redis):
        self.engine = engine
        self.r = r
        self._release = r.register_script(_RELEASE)

    def top(self, trial_id: int) -> list[dict]:
        key = f"leaderboard:{trial_id}"
        raw = self.r.get(key)
        if raw:
            entry = json.loads(raw)
            if time.time() - entry["at"] < FRESH_SECONDS:
                return entry["rows"]

        token = uuid.uuid4().hex
        lock_key = f"{key}:lock"
        if self.r.set(lock_key, token, nx=True, ex=LOCK_SECONDS):
            try:
                rows = self._rank(trial_id)
                self.r.set(key, json.dumps({"at": time.time(), "rows": rows}), ex=STALE_SECONDS)
                return rows
            finally:
                self._release(keys=[lock_key], args=[token])

        # Someone else is recomputing: serve the previous ranking if we have it,
        # otherwise wait briefly for theirs.
        if raw:
            return json.loads(raw)["rows"]
        for attempt in range(5):
            time.sleep(min(1.0, 0.05 * 2 ** attempt) + random.uniform(0, 0.05))
            raw = self.r.get(key)
            if raw:
                return json.loads(raw)["rows"]
        raise TimeoutError("leaderboard is being rebuilt, try again")

    def _rank(self, trial_id: int) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("""
                SELECT h.handler_name, d.dog_name, r.run_order,
                       110 * count(DISTINCT ps.judge_id) - coalesce(sum(ps.points_lost), 0) AS score
                FROM runs r
                JOIN handlers h ON h.id = r.handler_id
                JOIN dogs d ON d.id = r.dog_id
                LEFT JOIN phase_scores ps ON ps.run_id = r.id
                WHERE r.trial_id = :trial_id AND r.status = 'completed'
                GROUP BY h.handler_name, d.dog_name, r.run_order
                ORDER BY score DESC, r.run_order
                LIMIT 50
            """), {"trial_id": trial_id}).mappings().all()
        return [dict(row) for row in rows]
