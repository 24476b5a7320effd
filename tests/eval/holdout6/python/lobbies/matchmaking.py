"""Ranked matchmaking queue + lobby state, all in Redis.

Deployed as `matchmaker` (replicas: 4). Nothing here lives in process memory:
queues, lobbies, rate limits and the start lock are Redis keys, so any replica
can serve any request.
"""
import json
import time
import uuid

import redis.asyncio as redis
from fastapi import Depends, FastAPI, HTTPException

from .auth import current_player  # verifies the session JWT, returns player id
from .settings import REDIS_URL

app = FastAPI()
r = redis.from_url(REDIS_URL, decode_responses=True, socket_timeout=2, socket_connect_timeout=1)

QUEUE_LIMIT_PER_MIN = 20
LOBBY_SIZE = 5

# KEYS[1] = lobby players set, ARGV[1] = player, ARGV[2] = capacity
JOIN_LUA = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
"""
join_script = r.register_script(JOIN_LUA)


async def rate_limit(player_id: str) -> None:
    window = int(time.time() // 60)
    key = f"rl:queue:{player_id}:{window}"
    async with r.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, 70)
        count, _ = await pipe.execute()
    if count > QUEUE_LIMIT_PER_MIN:
        raise HTTPException(429, "too many queue requests")


@app.post("/queue/{region}")
async def enter_queue(region: str, player_id: str = Depends(current_player)):
    await rate_limit(player_id)
    mmr = int(await r.hget(f"player:{player_id}", "mmr") or 1000)
    await r.zadd(f"mmq:{region}", {player_id: mmr}, nx=True)
    return {"queued": True, "mmr": mmr}


@app.post("/lobbies/{lobby_id}/join")
async def join(lobby_id: str, player_id: str = Depends(current_player)):
    await rate_limit(player_id)
    if not await r.exists(f"lobby:{lobby_id}"):
        raise HTTPException(404, "lobby not found")
    ok = await join_script(keys=[f"lobby:{lobby_id}:players"], args=[player_id, LOBBY_SIZE])
    if not ok:
        raise HTTPException(409, "lobby full")
    await r.publish(f"lobby-events:{lobby_id}", json.dumps({"type": "joined", "player": player_id}))
    return {"joined": lobby_id}


@app.post("/lobbies/{lobby_id}/start")
async def start(lobby_id: str, player_id: str = Depends(current_player)):
    if await r.hget(f"lobby:{lobby_id}", "host") != player_id:
        raise HTTPException(403, "only the host can start")
    # SET NX: exactly one replica wins the right to allocate a game server
    token = uuid.uuid4().hex
    if not await r.set(f"lobby:{lobby_id}:starting", token, nx=True, ex=30):
        raise HTTPException(409, "already starting")
    await r.hset(f"lobby:{lobby_id}", mapping={"state": "starting", "start_token": token})
    await r.publish(f"lobby-events:{lobby_id}", json.dumps({"type": "starting"}))
    return {"starting": True}
