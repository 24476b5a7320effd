"""Nightly aeration planning for the farmers' co-op grain silos.

Runs from cron at 02:30 as a standalone job (not in the web process). For each
silo it loads the latest sensor sweep, projects the grain condition forward,
and writes tomorrow's fan schedule. The projection is pure-Python number
crunching, so it runs in a process pool.
"""
import logging
import math
import os
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

from psycopg_pool import ConnectionPool

log = logging.getLogger("aeration")

pool = ConnectionPool(os.environ["SILO_DSN"], min_size=1, max_size=4, timeout=10)


@lru_cache(maxsize=256)
def equilibrium_moisture(temp_c: float, rh_pct: float, crop: str) -> float:
    """Chung-Pfost EMC for the crop, memoised on rounded inputs."""
    a, b, c = {"wheat": (921.65, 18.077, 112.35), "barley": (761.66, 19.889, 91.323)}[crop]
    rh = max(min(rh_pct / 100.0, 0.99), 0.01)
    return (1.0 / b) * math.log(a / (-(temp_c + c) * math.log(rh))) * 100.0


def plan_silo(args: tuple) -> tuple[int, list[int]]:
    silo_id, crop, grain_temp, grain_moisture, hourly_forecast = args
    fan_hours = []
    for hour, (air_t, air_rh) in enumerate(hourly_forecast):
        emc = equilibrium_moisture(round(air_t, 1), round(air_rh), crop)
        # run the fans when outside air both cools and does not re-wet the grain
        if air_t < grain_temp - 3 and emc <= grain_moisture:
            fan_hours.append(hour)
            grain_temp -= 0.15 * (grain_temp - air_t)
    return silo_id, fan_hours


def main() -> None:
    with pool.connection() as conn:
        silos = conn.execute(
            "SELECT DISTINCT ON (s.id) s.id, s.crop, r.grain_temp_c, r.moisture_pct "
            "FROM silos s JOIN silo_readings r ON r.silo_id = s.id "
            "WHERE s.active ORDER BY s.id, r.taken_at DESC"
        ).fetchall()
        site_ids = [s[0] for s in silos]
        forecasts = dict(
            conn.execute(
                "SELECT silo_id, hourly FROM site_weather_forecast WHERE silo_id = ANY(%s)",
                (site_ids,),
            ).fetchall()
        )

    jobs = [(sid, crop, float(t), float(m), tuple(map(tuple, forecasts.get(sid, []))))
            for sid, crop, t, m in silos]
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as executor:
        plans = list(executor.map(plan_silo, jobs, chunksize=8))

    with pool.connection() as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO fan_schedule (silo_id, plan_date, hours) VALUES (%s, current_date + 1, %s) "
            "ON CONFLICT (silo_id, plan_date) DO UPDATE SET hours = EXCLUDED.hours",
            plans,
        )
    log.info("planned aeration for %d silos", len(plans))


if __name__ == "__main__":
    main()
