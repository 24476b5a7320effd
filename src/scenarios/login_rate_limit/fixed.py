# Deployed as 3 replicas behind the load balancer.
import time
import uuid

import redis.asyncio as redis
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from .auth import authenticate

app = FastAPI()
r = redis.from_url("redis://cache:6379/0")

WINDOW_SECONDS = 60
MAX_ATTEMPTS = 10


class Credentials(BaseModel):
    email: str
    password: str


@app.post("/auth/login")
async def login(creds: Credentials):
    # Sliding window in Redis: every replica counts the same attempts.
    key = f"login-attempts:{creds.email.lower()}"
    now = time.time()
    async with r.pipeline(transaction=True) as pipe:
        pipe.zremrangebyscore(key, 0, now - WINDOW_SECONDS)
        pipe.zadd(key, {f"{now}:{uuid.uuid4().hex}": now})
        pipe.zcard(key)
        pipe.expire(key, WINDOW_SECONDS)
        _, _, count, _ = await pipe.execute()
    if count > MAX_ATTEMPTS:
        raise HTTPException(429, "Too many login attempts, try again later")
    session = await authenticate(creds.email, creds.password)
    if session is None:
        raise HTTPException(401, "Invalid email or password")
    return session
