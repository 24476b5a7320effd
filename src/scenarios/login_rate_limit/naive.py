# Deployed as 3 replicas behind the load balancer.
import time
from collections import defaultdict, deque

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from .auth import authenticate

app = FastAPI()

WINDOW_SECONDS = 60
MAX_ATTEMPTS = 10

# Sliding window: timestamps of recent login attempts per account.
attempts: dict[str, deque] = defaultdict(deque)


class Credentials(BaseModel):
    email: str
    password: str


@app.post("/auth/login")
async def login(creds: Credentials):
    now = time.monotonic()
    window = attempts[creds.email.lower()]
    while window and now - window[0] > WINDOW_SECONDS:
        window.popleft()
    if len(window) >= MAX_ATTEMPTS:
        raise HTTPException(429, "Too many login attempts, try again later")
    window.append(now)
    session = await authenticate(creds.email, creds.password)
    if session is None:
        raise HTTPException(401, "Invalid email or password")
    return session
