# Added this to stop bots hammering the public booking widget.
# Deployed on k8s: reservations-api, replicas: 3, uvicorn --workers 2 in each pod.
import time
from collections import defaultdict, deque

from fastapi import Request
from fastapi.responses import JSONResponse

WINDOW_SECONDS = 60
MAX_REQUESTS = 30

_hits: dict[str, deque] = defaultdict(deque)


@app.middleware("http")
async def throttle_booking_widget(request: Request, call_next):
    if not request.url.path.startswith("/widget/"):
        return await call_next(request)

    client_ip = request.headers.get("x-forwarded-for", request.client.host).split(",")[0].strip()
    now = time.monotonic()
    q = _hits[client_ip]
    while q and now - q[0] > WINDOW_SECONDS:
        q.popleft()
    if len(q) >= MAX_REQUESTS:
        return JSONResponse({"detail": "Too many requests, slow down"}, status_code=429,
                            headers={"Retry-After": str(WINDOW_SECONDS)})
    q.append(now)
    return await call_next(request)
