import logging
import random
import time

import requests
from sqlalchemy import text

log = logging.getLogger(__name__)

# Shared session: connection pooling for the weather service.
_http = requests.Session()
WEATHER_URL = "https://api.agriweather.example/v3/daily"

MAX_ATTEMPTS = 5
BASE_DELAY = 0.5
MAX_DELAY = 8.0


class ApiaryRepository:
    """Inspection records for the BeeLog platform.

    Every beekeeping association is a tenant; apiaries, hives and inspections
    all carry association_id.
    """

    def __init__(self, engine):
        self.engine = engine  # created once at startup with pool_size=10

    def recent_inspections(self, association_id: int, apiary_id: int, limit: int = 50) -> list[dict]:
        limit = max(1, min(limit, 200))
        with self.engine.connect() as conn:
            inspections = conn.execute(
                text(
                    "SELECT i.id, i.hive_id, i.inspected_at, i.queen_seen, i.brood_frames, i.temper "
                    "FROM inspections i "
                    "WHERE i.association_id = :assoc AND i.apiary_id = :apiary "
                    "ORDER BY i.inspected_at DESC LIMIT :limit"
                ),
                {"assoc": association_id, "apiary": apiary_id, "limit": limit},
            ).mappings().all()

            hive_ids = list({row["hive_id"] for row in inspections})
            hives = conn.execute(
                text(
                    "SELECT id, name, colour, queen_marked_year FROM hives "
                    "WHERE association_id = :assoc AND id = ANY(:ids)"
                ),
                {"assoc": association_id, "ids": hive_ids},
            ).mappings().all()

        hive_by_id = {h["id"]: dict(h) for h in hives}
        return [{**dict(row), "hive": hive_by_id.get(row["hive_id"])} for row in inspections]

    def swarm_risk_weather(self, lat: float, lng: float) -> dict:
        """Warm, still days after a spell of bad weather are peak swarming days."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                resp = _http.get(
                    WEATHER_URL,
                    params={"lat": round(lat, 2), "lon": round(lng, 2), "days": 5},
                    timeout=(2, 6),
                )
                resp.raise_for_status()
                return resp.json()
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt == MAX_ATTEMPTS:
                    log.error("weather service unavailable after %d attempts", attempt)
                    raise
                # exponential backoff, capped, with full jitter
                delay = random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** attempt))
                log.warning("weather lookup failed (%s); retrying in %.1fs", exc, delay)
                time.sleep(delay)
        raise RuntimeError("unreachable")
