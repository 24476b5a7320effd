"""
Pricing lookups with caching.

- price matrices live in Redis (shared by all workers); recompute is
  guarded by a Redis lock so only one worker rebuilds after expiry
- small, hot, immutable things are memoised in-process with a bound
"""
import json
import logging
import threading
from decimal import Decimal
from functools import lru_cache

import redis
from cachetools import TTLCache, cached

from pricing.db import load_price_rows
from pricing.rules import Rule, compile_rule

log = logging.getLogger(__name__)

r = redis.Redis(host="redis", port=6379, socket_timeout=1.0, socket_connect_timeout=1.0)

MATRIX_TTL = 900
STALE_TTL = 6 * 3600


class PricingUnavailable(RuntimeError):
    pass


@lru_cache(maxsize=1024)
def parse_rule(expr: str) -> Rule:
    # rule expressions are a few hundred distinct strings; compile once
    return compile_rule(expr)


_fx_cache = TTLCache(maxsize=512, ttl=300)


@cached(_fx_cache, lock=threading.Lock())
def fx_rate(base: str, quote: str) -> Decimal:
    raw = r.hget("fx:rates", f"{base}{quote}")
    if raw is None:
        raise KeyError(f"no rate {base}/{quote}")
    return Decimal(raw.decode())


def _build_matrix(region: str) -> dict:
    matrix = {}
    for row in load_price_rows(region):
        rule = parse_rule(row.rule_expr)
        matrix[row.sku] = str(rule.apply(Decimal(row.base_price)))
    return matrix


def get_price_matrix(region: str) -> dict:
    key = f"price_matrix:{region}"
    raw = r.get(key)
    if raw is not None:
        return json.loads(raw)

    # single-flight: one worker rebuilds, the others wait briefly or serve stale
    lock = r.lock(f"{key}:lock", timeout=60, blocking_timeout=3)
    if lock.acquire():
        try:
            raw = r.get(key)  # someone may have rebuilt it while we waited
            if raw is not None:
                return json.loads(raw)
            matrix = _build_matrix(region)
            payload = json.dumps(matrix)
            pipe = r.pipeline()
            pipe.set(key, payload, ex=MATRIX_TTL)
            pipe.set(f"{key}:stale", payload, ex=STALE_TTL)
            pipe.execute()
            return matrix
        finally:
            lock.release()

    raw = r.get(key) or r.get(f"{key}:stale")
    if raw is not None:
        return json.loads(raw)
    log.error("price matrix for %s unavailable (lock busy, no stale copy)", region)
    raise PricingUnavailable(region)
