"""Nightly grade consensus for the bouldering wall.

Climbers vote on each route's grade in the app. Overnight we bootstrap the
votes per route to get a consensus grade and a confidence band, which the
setters use to spot sandbagged or soft problems. Pure-Python number crunching,
so it runs in worker processes, not threads.
"""
from __future__ import annotations

import logging
import os
import random
import re
import statistics
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

log = logging.getLogger(__name__)

BOOTSTRAP_ROUNDS = 2000
_V_GRADE = re.compile(r"^V(\d{1,2})([+-]?)$", re.IGNORECASE)


@lru_cache(maxsize=256)
def grade_to_number(label: str) -> float:
    """'V4' -> 4.0, 'V4+' -> 4.33, 'V5-' -> 4.67. Only ~60 distinct labels exist."""
    m = _V_GRADE.match(label.strip())
    if not m:
        raise ValueError(f"unrecognised grade {label!r}")
    base = float(m.group(1))
    return base + {"+": 0.33, "-": -0.33, "": 0.0}[m.group(2)]


def number_to_grade(value: float) -> str:
    base = int(round(value))
    frac = value - base
    suffix = "+" if frac > 0.17 else "-" if frac < -0.17 else ""
    return f"V{base}{suffix}"


def bootstrap_route(args: tuple[int, list[str], int]) -> dict:
    route_id, labels, seed = args
    votes = [grade_to_number(v) for v in labels]
    rng = random.Random(seed)
    medians = sorted(
        statistics.median(rng.choices(votes, k=len(votes))) for _ in range(BOOTSTRAP_ROUNDS)
    )
    lo = medians[int(0.05 * BOOTSTRAP_ROUNDS)]
    hi = medians[int(0.95 * BOOTSTRAP_ROUNDS) - 1]
    centre = statistics.median(votes)
    return {
        "route_id": route_id,
        "consensus": number_to_grade(centre),
        "band": (number_to_grade(lo), number_to_grade(hi)),
        "votes": len(votes),
    }


def run_consensus(votes_by_route: dict[int, list[str]], min_votes: int = 5) -> list[dict]:
    work = [
        (route_id, labels, route_id * 7919)
        for route_id, labels in votes_by_route.items()
        if len(labels) >= min_votes
    ]
    if not work:
        return []

    workers = max(1, (os.cpu_count() or 2) - 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(bootstrap_route, work, chunksize=16))

    log.info("grade consensus: %d routes scored with %d processes", len(results), workers)
    return results
