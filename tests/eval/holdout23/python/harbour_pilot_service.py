"""Pilot assignment service for the harbour authority.

Deployed as `pilot-board` on Kubernetes (replicas: 3, behind the ingress).
The duty officer's screen calls `tide_windows()` on every refresh and
`assign()` when a pilot is dispatched to an inbound vessel.
"""
import json
import logging
import threading
from datetime import datetime, timedelta, timezone

import redis
from sqlalchemy import text
from sqlalchemy.engine import Engine

log = logging.getLogger("pilot_board")

WINDOW_TTL_SECONDS = 600


class AlreadyAssigned(Exception):
    pass


class PilotBoardService:
    def __init__(self, engine: Engine, cache: redis.Redis):
        self.engine = engine
        self.cache = cache
        # vessel_id -> pilot_id for jobs currently in progress
        self._in_progress: dict[int, int] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ reads
    def tide_windows(self, port_code: str) -> list[dict]:
        """Safe transit windows for deep-draught vessels over the next 48h."""
        key = f"tide-windows:{port_code}"
        cached = self.cache.get(key)
        if cached:
            return json.loads(cached)

        windows = self._compute_windows(port_code)
        self.cache.setex(key, WINDOW_TTL_SECONDS, json.dumps(windows, default=str))
        return windows

    def _compute_windows(self, port_code: str) -> list[dict]:
        # Joins 48h of predicted levels (1-min resolution, every gauge in the
        # approach channel) against each scheduled vessel's draught + squat margin.
        # Takes 8-12 s on the reporting replica.
        with self.engine.connect() as conn:
            rows = conn.execute(text("""
                SELECT v.id AS vessel_id, v.name, v.draught_m,
                       min(p.level_m) AS min_level_m,
                       min(p.predicted_at) FILTER (WHERE p.level_m - v.draught_m - 1.2 > c.charted_depth_m) AS opens_at,
                       max(p.predicted_at) FILTER (WHERE p.level_m - v.draught_m - 1.2 > c.charted_depth_m) AS closes_at
                FROM scheduled_arrivals v
                JOIN channel_sections c ON c.port_code = v.port_code
                JOIN predicted_levels p ON p.gauge_id = c.gauge_id
                WHERE v.port_code = :port
                  AND v.eta BETWEEN now() AND now() + interval '48 hours'
                  AND p.predicted_at BETWEEN now() AND now() + interval '48 hours'
                GROUP BY v.id, v.name, v.draught_m
                ORDER BY opens_at NULLS LAST
                LIMIT 100
            """), {"port": port_code}).mappings().all()
        return [dict(r) for r in rows]

    # ----------------------------------------------------------------- writes
    def assign(self, vessel_id: int, pilot_id: int, officer: str) -> None:
        with self._lock:
            if vessel_id in self._in_progress:
                raise AlreadyAssigned(f"vessel {vessel_id} already has pilot {self._in_progress[vessel_id]}")
            self._in_progress[vessel_id] = pilot_id

        with self.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO pilot_assignments (vessel_id, pilot_id, assigned_by, assigned_at) "
                     "VALUES (:v, :p, :o, :t)"),
                {"v": vessel_id, "p": pilot_id, "o": officer, "t": datetime.now(timezone.utc)},
            )
        log.info("pilot %s assigned to vessel %s by %s", pilot_id, vessel_id, officer)

    def complete(self, vessel_id: int) -> None:
        with self._lock:
            self._in_progress.pop(vessel_id, None)
        with self.engine.begin() as conn:
            conn.execute(
                text("UPDATE pilot_assignments SET completed_at = :t "
                     "WHERE vessel_id = :v AND completed_at IS NULL"),
                {"t": datetime.now(timezone.utc), "v": vessel_id},
            )
