"""Cycle repair co-op: reorder forecast for the parts shelf.

Run from cron on Sunday night (`python -m coop.forecast`). For every part
we've sold in the last year, simulate the next eight weeks of demand and
suggest how many to order so the Saturday repair café doesn't run out of
inner tubes and brake blocks. The simulation is pure Python arithmetic, so
it runs in a process pool to use all the cores.
"""
import logging
from datetime import date, timedelta
import random
import statistics
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

from sqlalchemy import select

from coop.db import SessionLocal
from coop.models import Part, PartSale, ReorderSuggestion

log = logging.getLogger(__name__)

WEEKS_AHEAD = 8
RUNS = 20_000


@lru_cache(maxsize=256)
def supplier_pack_size(supplier_code: str) -> int:
    """Tubes come in boxes of 10, cables in 25s; most other things singly."""
    return {"SCHW": 10, "JAGW": 25, "CLKS": 5}.get(supplier_code, 1)


def simulate(part_id: int, weekly_sales: list[int], seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    totals = []
    for _ in range(RUNS):
        demand = sum(rng.choice(weekly_sales) for _ in range(WEEKS_AHEAD))
        totals.append(demand)
    totals.sort()
    p90 = totals[int(len(totals) * 0.9)]
    return part_id, p90


def main() -> None:
    since = date.today() - timedelta(weeks=52)
    with SessionLocal() as session:
        parts = session.execute(
            select(Part).where(Part.active.is_(True)).order_by(Part.id).limit(2000)
        ).scalars().all()
        by_id = {p.id: p for p in parts}

        # One query for all the parts' weekly sales, not one per part.
        rows = session.execute(
            select(PartSale.part_id, PartSale.week, PartSale.qty)
            .where(PartSale.part_id.in_(list(by_id)))
            .where(PartSale.week >= since)
        ).all()

    weekly: dict[int, list[int]] = {pid: [] for pid in by_id}
    for part_id, _week, qty in rows:
        weekly[part_id].append(qty)

    jobs = [(pid, sales, pid * 7919) for pid, sales in weekly.items() if sales]
    if not jobs:
        log.info("no sales history, nothing to forecast")
        return

    with ProcessPoolExecutor() as pool:
        results = list(pool.map(simulate, *zip(*jobs), chunksize=16))

    suggestions = []
    for part_id, p90 in results:
        part = by_id[part_id]
        need = max(0, p90 - part.on_shelf)
        pack = supplier_pack_size(part.supplier_code)
        order = -(-need // pack) * pack
        if order:
            suggestions.append(
                ReorderSuggestion(part_id=part_id, quantity=order, p90_demand=p90)
            )

    with SessionLocal() as session:
        session.add_all(suggestions)
        session.commit()

    mean = statistics.fmean([s.quantity for s in suggestions]) if suggestions else 0
    log.info("%d reorder suggestions, mean qty %.1f", len(suggestions), mean)


if __name__ == "__main__":
    main()
