"""Bunk holds for the mountain hut reservation service (FastAPI + redis-py).

Runs as `hut-api` with replicas: 3 behind the ingress, so anything shared
between requests lives in Redis: the per-member rate limit and the
short-lived bunk holds shown while a member fills in the party details.
"""
import os

import redis
from fastapi import Depends, FastAPI, HTTPException, Response
from pydantic import BaseModel

from huts.auth import Member, current_member

app = FastAPI()

r = redis.Redis.from_url(
    os.environ.get("REDIS_URL", "redis://redis:6379/0"),
    socket_timeout=2,
    socket_connect_timeout=2,
    decode_responses=True,
)

HOLD_SECONDS = 10 * 60
LIMIT_PER_MINUTE = 30


def rate_limited(member: Member = Depends(current_member)) -> Member:
    """Fixed-window limit keyed by the authenticated member, shared by all replicas."""
    key = f"ratelimit:hut-api:{member.id}"
    pipe = r.pipeline()
    pipe.incr(key)
    pipe.expire(key, 60, nx=True)
    count, _ = pipe.execute()
    if count > LIMIT_PER_MINUTE:
        raise HTTPException(429, "slow down a little", headers={"Retry-After": "60"})
    return member


class HoldIn(BaseModel):
    hut_id: int
    night: str      # ISO date
    bunk: str       # e.g. "dorm-2/upper-4"


@app.post("/holds", status_code=201)
def hold_bunk(body: HoldIn, member: Member = Depends(rate_limited)):
    key = f"hold:{body.hut_id}:{body.night}:{body.bunk}"
    # SET NX EX: exactly one member gets the hold; Redis drops it when it expires
    acquired = r.set(key, member.id, nx=True, ex=HOLD_SECONDS)
    if not acquired:
        raise HTTPException(409, "someone else is holding that bunk")
    return {"hold": key, "expires_in": HOLD_SECONDS}


# compare-and-delete so a member can only release their own hold
RELEASE_SCRIPT = r.register_script(
    """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
    end
    return 0
    """
)


@app.delete("/holds/{hut_id}/{night}/{bunk:path}", status_code=204)
def release_hold(hut_id: int, night: str, bunk: str, member: Member = Depends(rate_limited)):
    released = RELEASE_SCRIPT(keys=[f"hold:{hut_id}:{night}:{bunk}"], args=[str(member.id)])
    if not released:
        raise HTTPException(404, "no hold of yours on that bunk")
    return Response(status_code=204)
