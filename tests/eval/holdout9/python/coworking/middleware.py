# coworking/api/middleware.py
# Deployed on k8s: deployment "coworking-api", replicas: 3, behind the nginx ingress.
import time
from collections import defaultdict, deque

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()

WINDOW_SECONDS = 60
MAX_REQUESTS = 120

# ip -> timestamps of recent requests
_hits: dict[str, deque] = defaultdict(deque)

ALLOWED_ADMIN_NETS = ("10.20.", "192.168.50.")


def client_ip(request: Request) -> str:
    fwd = request.headers.get("x-forwarded-for")
    if fwd:
        return fwd.split(",")[0].strip()
    return request.client.host


@app.middleware("http")
async def rate_limit(request: Request, call_next):
    ip = client_ip(request)
    now = time.monotonic()
    q = _hits[ip]
    while q and now - q[0] > WINDOW_SECONDS:
        q.popleft()
    if len(q) >= MAX_REQUESTS:
        return JSONResponse({"detail": "Too many requests"}, status_code=429)
    q.append(now)
    return await call_next(request)


@app.middleware("http")
async def admin_only_from_office(request: Request, call_next):
    if request.url.path.startswith("/admin"):
        ip = client_ip(request)
        if not ip.startswith(ALLOWED_ADMIN_NETS):
            return JSONResponse({"detail": "forbidden"}, status_code=403)
    return await call_next(request)


@app.get("/healthz")
async def healthz():
    return {"ok": True}
