"""Diversity indices for the county moth-trapping survey.

Each trap night is a list of (species_code, count) records uploaded by the
recorders. The dashboard service calls ``indices_for_site`` whenever a site
page is opened, so results are memoised per site and night.
"""
import math
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from .records import load_trap_night, trap_nights_for_site

BOOTSTRAP_ROUNDS = 2000

# (site_id, night) -> computed indices
_index_cache: dict[tuple[int, date], "NightIndices"] = {}


@dataclass(frozen=True)
class NightIndices:
    night: date
    species_richness: int
    shannon: float
    simpson: float
    shannon_ci: tuple[float, float]


def _shannon(counts: list[int]) -> float:
    total = sum(counts)
    if total == 0:
        return 0.0
    return -sum((c / total) * math.log(c / total) for c in counts if c)


def _simpson(counts: list[int]) -> float:
    total = sum(counts)
    if total < 2:
        return 0.0
    return 1.0 - sum(c * (c - 1) for c in counts) / (total * (total - 1))


def _bootstrap_ci(individuals: list[str], rounds: int = BOOTSTRAP_ROUNDS) -> tuple[float, float]:
    """Percentile CI for Shannon's H by resampling individual moths."""
    rng = random.Random(42)
    estimates = []
    for _ in range(rounds):
        sample = rng.choices(individuals, k=len(individuals))
        tally: dict[str, int] = {}
        for code in sample:
            tally[code] = tally.get(code, 0) + 1
        estimates.append(_shannon(list(tally.values())))
    estimates.sort()
    return estimates[int(0.025 * rounds)], estimates[int(0.975 * rounds) - 1]


def compute_night(site_id: int, night: date) -> NightIndices:
    key = (site_id, night)
    if key in _index_cache:
        return _index_cache[key]

    records = load_trap_night(site_id, night)
    counts = [r.count for r in records]
    individuals = [r.species_code for r in records for _ in range(r.count)]
    result = NightIndices(
        night=night,
        species_richness=len({r.species_code for r in records}),
        shannon=_shannon(counts),
        simpson=_simpson(counts),
        shannon_ci=_bootstrap_ci(individuals),
    )
    _index_cache[key] = result
    return result


def indices_for_site(site_id: int, season_start: date, season_end: date) -> list[NightIndices]:
    nights = trap_nights_for_site(site_id, season_start, season_end)
    # Bootstrapping is the slow part, so spread the nights over workers
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: compute_night(site_id, n), nights))
    return sorted(results, key=lambda r: r.night)
