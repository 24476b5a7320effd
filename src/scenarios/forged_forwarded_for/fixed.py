import os

import redis.asyncio as redis
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel

app = FastAPI()
r = redis.from_url(os.environ["REDIS_URL"])
MAX_ATTEMPTS = 5
WINDOW_S = 60
# Exactly one proxy (the load balancer) sits in front and appends the address it saw.
TRUSTED_PROXIES = 1


class Credentials(BaseModel):
    email: str
    password: str


def client_ip(request: Request) -> str:
    # Entries left of our proxy's are whatever the caller wrote: take the one it appended.
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    if len(hops) >= TRUSTED_PROXIES:
        return hops[-TRUSTED_PROXIES]
    return request.client.host


@app.post("/api/login")
async def login(creds: Credentials, request: Request):
    key = f"login-attempts:{client_ip(request)}"
    attempts = await r.incr(key)
    if attempts == 1:
        await r.expire(key, WINDOW_S)
    if attempts > MAX_ATTEMPTS:
        raise HTTPException(429, "Too many login attempts, try again in a minute")
    user = await authenticate(creds.email, creds.password)
    if user is None:
        raise HTTPException(401, "Invalid email or password")
    return {"token": issue_token(user)}
