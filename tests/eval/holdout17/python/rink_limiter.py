# rate limit for the public-skate booking endpoint. We run 3 replicas behind the LB,
# so the counter lives in Redis. uvicorn runs with --proxy-headers
# --forwarded-allow-ips=10.0.0.5 (the LB), so client.host is the real client. Is this safe?
import redis
from fastapi import HTTPException, Request

r = redis.Redis(host="redis", port=6379, socket_timeout=0.5)


def limit_bookings(request: Request, per_minute: int = 20) -> None:
    key = f"rl:skate-book:{request.client.host}"
    pipe = r.pipeline()
    pipe.incr(key)
    pipe.expire(key, 60, nx=True)
    count, _ = pipe.execute()
    if count > per_minute:
        raise HTTPException(status_code=429, detail="Too many booking attempts, slow down")
