import os

import redis.asyncio as redis
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel

app = FastAPI()
r = redis.from_url(os.environ["REDIS_URL"])
MAX_ATTEMPTS = 5
WINDOW_S = 60


class Credentials(BaseModel):
    email: str
    password: str


def client_ip(request: Request) -> str:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()
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
