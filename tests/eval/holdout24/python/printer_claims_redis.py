# printq/claims.py — printer claims and per-member upload limits.
#
# The queue board runs as `gunicorn -w 4` on both makerspace servers, so all
# shared state (claims, limits, sessions) lives in Redis, never in a worker.
import json
import os
import time

import redis
from flask import Blueprint, Flask, abort, jsonify, request
from flask_login import current_user, login_required
from flask_session import Session

rds = redis.Redis.from_url(
    os.environ["REDIS_URL"],
    socket_timeout=2,
    socket_connect_timeout=2,
    health_check_interval=30,
)

bp = Blueprint("claims", __name__)

UPLOADS_PER_HOUR = 6
CLAIM_TTL_S = 12 * 3600  # longest print we allow on the shared machines


def configure(app: Flask) -> None:
    app.config.update(SESSION_TYPE="redis", SESSION_REDIS=rds, SESSION_PERMANENT=False)
    Session(app)
    app.register_blueprint(bp)


def allow_upload(member_id: int) -> bool:
    window = int(time.time() // 3600)
    key = f"printq:uploads:{member_id}:{window}"
    pipe = rds.pipeline()
    pipe.incr(key)
    pipe.expire(key, 3700)
    count, _ = pipe.execute()
    return count <= UPLOADS_PER_HOUR


@bp.post("/uploads/allowance")
@login_required
def check_allowance():
    if not allow_upload(current_user.id):
        return jsonify({"error": "upload limit reached, try again next hour"}), 429
    return jsonify({"ok": True})


@bp.post("/printers/<printer>/claim")
@login_required
def claim_printer(printer):
    job_id = (request.get_json(silent=True) or {}).get("job_id")
    if not job_id:
        abort(400, "job_id required")
    claim = json.dumps({"member_id": current_user.id, "job_id": job_id, "at": int(time.time())})
    # SET NX: only one member can hold the printer; the TTL frees it if nobody releases it.
    if not rds.set(f"printq:claim:{printer}", claim, nx=True, ex=CLAIM_TTL_S):
        holder = rds.get(f"printq:claim:{printer}")
        return jsonify({"error": "printer busy", "holder": json.loads(holder) if holder else None}), 409
    rds.lpush("printq:history", claim)
    rds.ltrim("printq:history", 0, 499)
    return jsonify({"claimed": printer}), 201


RELEASE_IF_OWNER = rds.register_script(
    """
    local v = redis.call('GET', KEYS[1])
    if v and cjson.decode(v)['member_id'] == tonumber(ARGV[1]) then
        return redis.call('DEL', KEYS[1])
    end
    return 0
    """
)


@bp.post("/printers/<printer>/release")
@login_required
def release_printer(printer):
    released = RELEASE_IF_OWNER(keys=[f"printq:claim:{printer}"], args=[current_user.id])
    if not released:
        abort(409, "you do not hold this printer")
    return jsonify({"released": printer})


@bp.get("/printers/history")
def recent_claims():
    return jsonify([json.loads(c) for c in rds.lrange("printq:history", 0, 49)])
