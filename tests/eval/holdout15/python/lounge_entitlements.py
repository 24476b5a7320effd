"""Lounge entry: checks a member's entitlement with the loyalty platform.

FastAPI dependency + route. The loyalty API is slow-ish (~150 ms p50), so the
member's *own* tier profile is cached briefly in-process; guest-pass
redemption always goes to the loyalty API, which is the source of truth.
"""
import logging
import os
import threading

import httpx
from cachetools import TTLCache
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel

log = logging.getLogger(__name__)

loyalty = httpx.Client(
    base_url=os.environ["LOYALTY_API_URL"],
    headers={"Authorization": f"Bearer {os.environ['LOYALTY_API_TOKEN']}"},
    timeout=httpx.Timeout(3.0, connect=1.0),
    limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
)

# member_id -> tier profile (tier, home airline, lounge network). Different for every member.
_profiles: TTLCache = TTLCache(maxsize=20_000, ttl=300)
_profiles_lock = threading.Lock()  # TTLCache is not thread-safe; sync routes run in the threadpool

router = APIRouter(prefix="/lounge")


class EntryRequest(BaseModel):
    member_id: str
    lounge_code: str
    guests: int = 0
    boarding_pass_flight: str


def member_profile(member_id: str) -> dict:
    with _profiles_lock:
        cached = _profiles.get(member_id)
    if cached is not None:
        return cached
    resp = loyalty.get(f"/members/{member_id}/profile")
    if resp.status_code == 404:
        raise HTTPException(404, "unknown member")
    resp.raise_for_status()
    profile = resp.json()
    with _profiles_lock:
        _profiles[member_id] = profile
    return profile


@router.post("/entries")
def admit(req: EntryRequest, request: Request):
    profile = member_profile(req.member_id)
    if req.lounge_code not in profile["lounge_networks"]:
        raise HTTPException(403, "lounge not included in membership")

    if req.guests:
        try:
            r = loyalty.post(
                f"/members/{req.member_id}/guest-passes/redeem",
                json={"count": req.guests, "lounge": req.lounge_code},
                headers={"Idempotency-Key": f"{req.member_id}:{req.boarding_pass_flight}:{req.lounge_code}"},
            )
            r.raise_for_status()
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code == 409:
                raise HTTPException(409, "not enough guest passes") from exc
            log.exception("guest pass redemption failed for %s", req.member_id)
            raise
    log.info("admitted member=%s lounge=%s guests=%d agent=%s", req.member_id,
             req.lounge_code, req.guests, request.state.agent_id)
    return {"admitted": True, "tier": profile["tier"], "guests": req.guests}
