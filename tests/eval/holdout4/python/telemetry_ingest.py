# telemetry_ingest.py
# HTTP ingest for the cold-chain sensor fleet (reefer containers, warehouse probes).
# Deployment: 2 VMs behind the AWS ALB, each runs this with fork_processes(4) -> 8 procs total.
import hashlib
import hmac
import json
import logging
import os
import time
from collections import defaultdict

import redis.asyncio as aioredis
import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.process
import tornado.web

log = logging.getLogger("ingest")

DEVICE_SECRET = os.environ["DEVICE_HMAC_SECRET"].encode()
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")

# simple sliding-window limiter so a misbehaving gateway can't flood us
WINDOW_SECONDS = 60
MAX_POSTS_PER_WINDOW = 240
_hits_by_ip = defaultdict(list)


def client_ip(handler: tornado.web.RequestHandler) -> str:
    forwarded = handler.request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return handler.request.remote_ip


def allow(ip: str) -> bool:
    now = time.monotonic()
    window = [t for t in _hits_by_ip[ip] if now - t < WINDOW_SECONDS]
    if len(window) >= MAX_POSTS_PER_WINDOW:
        _hits_by_ip[ip] = window
        return False
    window.append(now)
    _hits_by_ip[ip] = window
    return True


def valid_signature(device_id: str, body: bytes, signature: str) -> bool:
    expected = hmac.new(DEVICE_SECRET, device_id.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")


class ReadingsHandler(tornado.web.RequestHandler):
    def initialize(self, redis):
        self.redis = redis

    async def post(self, device_id):
        if not allow(client_ip(self)):
            self.set_status(429)
            self.finish({"error": "rate limited"})
            return

        if not valid_signature(device_id, self.request.body, self.request.headers.get("X-Signature")):
            raise tornado.web.HTTPError(401)

        try:
            batch = json.loads(self.request.body)
            readings = batch["readings"][:500]
        except (ValueError, KeyError, TypeError):
            raise tornado.web.HTTPError(400, reason="malformed batch")

        pipe = self.redis.pipeline(transaction=False)
        for r in readings:
            pipe.xadd(
                "telemetry:raw",
                {"device": device_id, "ts": r["ts"], "temp_c": r["temp_c"], "door": int(r.get("door_open", 0))},
                maxlen=2_000_000,
                approximate=True,
            )
        await pipe.execute()
        self.set_status(202)
        self.finish({"accepted": len(readings)})


class HealthHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("ok")


def make_app(redis) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (r"/v1/devices/([a-zA-Z0-9-]+)/readings", ReadingsHandler, {"redis": redis}),
            (r"/healthz", HealthHandler),
        ]
    )


def main():
    logging.basicConfig(level=logging.INFO)
    sockets = tornado.netutil.bind_sockets(int(os.environ.get("PORT", "8080")))
    tornado.process.fork_processes(4)
    redis = aioredis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    server = tornado.httpserver.HTTPServer(make_app(redis))
    server.add_sockets(sockets)
    log.info("ingest worker %s up", tornado.process.task_id())
    tornado.ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
