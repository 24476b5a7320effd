"""
SCADA telemetry ingest worker.

Long-running: systemd unit `scada-ingest.service`, one instance per site.
Pulls 10-minute binary frame batches from the site queue, decodes them,
scores each turbine against its power curve and writes the aggregates.
"""
import functools
import logging
import math
import struct
from concurrent.futures import ThreadPoolExecutor

from .queue import SiteQueue
from .store import write_aggregates
from .curves import CURVES  # model -> [(wind_ms, kw), ...], loaded from YAML at import

log = logging.getLogger("scada-ingest")

FRAME = struct.Struct("<IdffffffH")  # turbine_id, ts, wind, dir, rpm, pitch, kw, temp, status
RHO_STD = 1.225


@functools.cache
def expected_power(model: str, wind_ms: float, air_density: float) -> float:
    """Power-curve lookup with linear interpolation and density correction (IEC 61400-12)."""
    curve = CURVES[model]
    v = wind_ms * (air_density / RHO_STD) ** (1 / 3)
    for (v0, p0), (v1, p1) in zip(curve, curve[1:]):
        if v0 <= v <= v1:
            return p0 + (p1 - p0) * (v - v0) / (v1 - v0)
    return 0.0 if v < curve[0][0] else curve[-1][1]


def decode_and_score(batch: bytes, model_of: dict[int, str], air_density: float) -> dict:
    """Decode ~60k frames and compute per-turbine availability / performance."""
    per_turbine: dict[int, dict] = {}
    for off in range(0, len(batch), FRAME.size):
        tid, ts, wind, wdir, rpm, pitch, kw, temp, status = FRAME.unpack_from(batch, off)
        agg = per_turbine.setdefault(tid, {"n": 0, "kw": 0.0, "exp": 0.0, "down": 0, "sq": 0.0})
        exp = expected_power(model_of[tid], round(wind, 2), round(air_density, 4))
        agg["n"] += 1
        agg["kw"] += kw
        agg["exp"] += exp
        agg["sq"] += (kw - exp) ** 2
        if status != 0:
            agg["down"] += 1
    for tid, agg in per_turbine.items():
        agg["pi"] = agg["kw"] / agg["exp"] if agg["exp"] else None
        agg["rmse"] = math.sqrt(agg["sq"] / agg["n"])
        agg["availability"] = 1 - agg["down"] / agg["n"]
    return per_turbine


def run(site: str) -> None:
    q = SiteQueue(site)
    model_of = q.turbine_models()
    with ThreadPoolExecutor(max_workers=8) as pool:
        while True:
            batches = q.take(max_items=8, wait_s=30)
            if not batches:
                continue
            futures = [
                pool.submit(decode_and_score, b.payload, model_of, b.air_density) for b in batches
            ]
            for b, fut in zip(batches, futures):
                try:
                    write_aggregates(site, b.window_start, fut.result())
                    q.ack(b)
                except Exception:
                    log.exception("batch %s failed, leaving for redelivery", b.id)
                    q.nack(b)
