# Turnstile scan API for the ski-lift gates.
# Runs behind the resort's load balancer on 3 pods (see k8s/scan-api.yaml).
import time

import redis
from flask import Flask, jsonify, request, abort

from passes.repo import PassRepository

app = Flask(__name__)
redis_client = redis.Redis(host="redis", port=6379, db=0,
                           socket_timeout=1.5, socket_connect_timeout=1)
passes = PassRepository()

SCANS_PER_MINUTE = 4   # a pass can't legitimately go through a gate faster


def allow_scan(pass_id: str) -> bool:
    """Fixed-window counter shared by every pod via Redis."""
    window = int(time.time() // 60)
    key = f"scan-rl:{pass_id}:{window}"
    pipe = redis_client.pipeline()
    pipe.incr(key)
    pipe.expire(key, 90)
    count, _ = pipe.execute()
    return count <= SCANS_PER_MINUTE


@app.post("/gates/<gate_id>/scan")
def scan(gate_id):
    body = request.get_json(force=True)
    pass_id = body.get("pass_id")
    if not pass_id:
        abort(400)

    # The gate identifies itself with a mutual-TLS cert; the proxy passes the
    # verified subject, and unknown gates are rejected.
    gate = passes.gate_for_cert(request.environ.get("SSL_CLIENT_S_DN_CN"))
    if gate is None or gate.id != gate_id:
        abort(403)

    if not allow_scan(pass_id):
        return jsonify(ok=False, reason="too_many_scans"), 429

    ski_pass = passes.get_valid(pass_id, resort_id=gate.resort_id)
    if ski_pass is None:
        return jsonify(ok=False, reason="invalid_pass"), 200

    # Single-use lift tickets: SET NX claims the ride once across all pods.
    if ski_pass.kind == "single_ride":
        claimed = redis_client.set(f"ride-used:{pass_id}", gate_id,
                                   nx=True, ex=86400)
        if not claimed:
            return jsonify(ok=False, reason="already_used"), 200

    passes.record_scan(pass_id, gate_id, resort_id=gate.resort_id)
    return jsonify(ok=True, holder=ski_pass.holder_first_name)


@app.get("/gates/<gate_id>/scans")
def recent_scans(gate_id):
    gate = passes.gate_for_cert(request.environ.get("SSL_CLIENT_S_DN_CN"))
    if gate is None or gate.id != gate_id:
        abort(403)
    limit = min(int(request.args.get("limit", 50)), 200)
    rows = passes.recent_scans(gate_id, resort_id=gate.resort_id, limit=limit)
    return jsonify(scans=[r._asdict() for r in rows])
