"""
You're right that the dict-based limiter only counted requests per pod, so with
4 pods each hospital partner effectively got 4x their quota, and keying on
X-Forwarded-For let anyone pick their own bucket. Here's the fixed version:

1. counters live in Redis (INCR + EXPIRE in one pipeline), shared by every pod;
2. the bucket is the authenticated partner id, not a client-supplied header;
3. the Redis client is created once, with timeouts, and reused.
"""
import hashlib
import time

import redis
from fastapi import Depends, FastAPI, Header, HTTPException

from bloodbank.db import partner_by_key_hash

r = redis.Redis.from_url("redis://redis-master:6379/2", socket_timeout=0.5,
                         socket_connect_timeout=0.5, health_check_interval=30)

app = FastAPI()
WINDOW_SECONDS = 60


def authenticated_partner(x_api_key: str = Header(...)):
    partner = partner_by_key_hash(hashlib.sha256(x_api_key.encode()).hexdigest())
    if partner is None:
        raise HTTPException(401, "unknown API key")
    return partner


def rate_limited(partner=Depends(authenticated_partner)):
    window = int(time.time()) // WINDOW_SECONDS
    key = f"rl:partner:{partner.id}:{window}"
    pipe = r.pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW_SECONDS * 2)
    count, _ = pipe.execute()
    if count > partner.requests_per_minute:
        raise HTTPException(429, "rate limit exceeded",
                            headers={"Retry-After": str(WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS)})
    return partner


@app.get("/v1/availability/{blood_type}")
def availability(blood_type: str, partner=Depends(rate_limited)):
    return partner.region_availability(blood_type)
