# fleet/charging/planner.py  (imported by the dispatch API; /plans/rebuild calls build_depot_plan
# every 15 min from the scheduler, and on demand when a van comes back early)

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

SLOT = timedelta(minutes=15)
SLOTS_PER_DAY = 96


@dataclass
class Vehicle:
    vin: str
    soc_kwh: float          # current state of charge
    target_kwh: float       # needed by departure
    max_kw: float
    departs_at: datetime


@lru_cache(maxsize=None)
def tariff_for(depot_id: int, slot_start: datetime) -> float:
    """$/kWh for a depot at a given 15-min slot (TOU schedule + demand charge)."""
    sched = TARIFF_SCHEDULES[depot_id]
    return sched.price_at(slot_start) + sched.demand_adder(slot_start)


def _plan_vehicle(depot_id: int, v: Vehicle, start: datetime, site_kw_limit: float) -> list[float]:
    # DP over slots x discretised energy (0.5 kWh steps): cheapest way to reach target by departure
    n_slots = min(SLOTS_PER_DAY, int((v.departs_at - start) / SLOT))
    need = max(0.0, v.target_kwh - v.soc_kwh)
    steps = int(need / 0.5) + 1
    max_step = int(min(v.max_kw, site_kw_limit) * 0.25 / 0.5)
    INF = float("inf")
    cost = [[INF] * steps for _ in range(n_slots + 1)]
    choice = [[0] * steps for _ in range(n_slots + 1)]
    cost[0][0] = 0.0
    for s in range(n_slots):
        price = tariff_for(depot_id, start + s * SLOT)
        for e in range(steps):
            if cost[s][e] == INF:
                continue
            for k in range(0, max_step + 1):
                e2 = min(steps - 1, e + k)
                c = cost[s][e] + k * 0.5 * price
                if c < cost[s + 1][e2]:
                    cost[s + 1][e2] = c
                    choice[s + 1][e2] = k
    # backtrack
    plan, e = [], steps - 1
    for s in range(n_slots, 0, -1):
        k = choice[s][e]
        plan.append(k * 0.5 / 0.25)   # kW for that slot
        e = max(0, e - k)
    return list(reversed(plan))


def build_depot_plan(depot_id: int, vehicles: list[Vehicle], site_kw_limit: float) -> dict[str, list[float]]:
    start = datetime.now().replace(second=0, microsecond=0)
    start -= timedelta(minutes=start.minute % 15)
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = {v.vin: pool.submit(_plan_vehicle, depot_id, v, start, site_kw_limit) for v in vehicles}
        return {vin: f.result() for vin, f in futures.items()}
