# matchmaking/actors.py
# Dramatiq workers (4 pods x 8 threads) that turn a full lobby into a running game server.
import logging
import os
import random
import time
import uuid

import dramatiq
import httpx
import redis
from dramatiq.brokers.redis import RedisBroker

log = logging.getLogger(__name__)

REDIS_URL = os.environ["REDIS_URL"]
ALLOCATOR_URL = os.environ["FLEET_ALLOCATOR_URL"]  # Agones allocator behind an internal LB

dramatiq.set_broker(RedisBroker(url=REDIS_URL))
r = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2, decode_responses=True)
allocator = httpx.Client(
    base_url=ALLOCATOR_URL,
    timeout=httpx.Timeout(5.0, connect=2.0),
    limits=httpx.Limits(max_connections=20),
)

MAX_ATTEMPTS = 5
BASE_DELAY = 0.25
MAX_DELAY = 4.0


class AllocationFailed(Exception):
    pass


def allocate_server(region: str, lobby_id: str) -> dict:
    """POST to the allocator with capped exponential backoff + full jitter."""
    last_exc = None
    for attempt in range(MAX_ATTEMPTS):
        try:
            resp = allocator.post("/gameserverallocation", json={"region": region, "lobby": lobby_id})
            if resp.status_code == 200:
                return resp.json()
            if resp.status_code not in (429, 503):
                raise AllocationFailed(f"allocator returned {resp.status_code}: {resp.text[:200]}")
            last_exc = AllocationFailed(f"allocator busy ({resp.status_code})")
        except httpx.TransportError as exc:
            last_exc = exc
        delay = min(MAX_DELAY, BASE_DELAY * 2**attempt)
        time.sleep(random.uniform(0, delay))
    raise AllocationFailed(f"gave up after {MAX_ATTEMPTS} attempts") from last_exc


@dramatiq.actor(queue_name="matchmaking", max_retries=3, time_limit=60_000)
def start_match(lobby_id: str, region: str):
    lock_key = f"lobby:{lobby_id}:starting"
    token = uuid.uuid4().hex
    # only one worker may start a given lobby, even if the message is redelivered
    if not r.set(lock_key, token, nx=True, ex=120):
        log.info("lobby %s already being started, skipping", lobby_id)
        return

    try:
        server = allocate_server(region, lobby_id)
        r.hset(f"lobby:{lobby_id}", mapping={"state": "running", "address": server["address"], "port": server["port"]})
        r.incr(f"stats:{region}:matches_started")
        r.publish(f"lobby:{lobby_id}:events", "server_ready")
    except Exception:
        log.exception("failed to start lobby %s in %s", lobby_id, region)
        r.delete(lock_key)  # let the dramatiq retry take the lock again
        raise
