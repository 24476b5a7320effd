from fastapi import FastAPI, HTTPException
from redis.asyncio import Redis

app = FastAPI()
redis = Redis(host="redis", socket_timeout=1)


@app.post("/polls/{poll_id}/vote")
async def vote(poll_id: int, option: str, user_id: int):
    voted_key = f"poll:{poll_id}:voted:{user_id}"
    if await redis.get(voted_key):
        raise HTTPException(409, "already voted")
    await redis.set(voted_key, option)
    await redis.hincrby(f"poll:{poll_id}:counts", option, 1)
    return {"ok": True}


@app.get("/polls/{poll_id}")
async def results(poll_id: int):
    return await redis.hgetall(f"poll:{poll_id}:counts")
