# clicks.py - redirect endpoint for ad clicks (Starlette, 6 pods)
# uvicorn runs with --proxy-headers --forwarded-allow-ips=10.0.0.0/8 (ALB subnets only),
# so request.client.host is the real client address, not whatever the caller put in a header.
import os
import time

import redis.asyncio as aioredis
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse

r = aioredis.from_url(os.environ["REDIS_URL"], socket_timeout=0.3, socket_connect_timeout=0.3)
CLICKS_PER_MINUTE = 30


async def click(request: Request):
    creative_id = request.path_params["creative_id"]
    ip = request.client.host
    bucket = f"rl:click:{ip}:{int(time.time() // 60)}"

    async with r.pipeline(transaction=True) as pipe:
        count, _ = await pipe.incr(bucket).expire(bucket, 120).execute()
    if count > CLICKS_PER_MINUTE:
        return PlainTextResponse("slow down", status_code=429)

    click_id = request.query_params.get("cid", "")
    # count each click id once, even if the browser double-fires the redirect
    if click_id and await r.set(f"click:seen:{click_id}", 1, nx=True, ex=86400):
        await r.xadd("clicks", {"creative": creative_id, "cid": click_id, "ip": ip}, maxlen=5_000_000, approximate=True)

    landing = await r.hget("creative:landing", creative_id)
    if landing is None:
        return PlainTextResponse("unknown creative", status_code=404)
    return RedirectResponse(landing.decode(), status_code=302)
