# exhibitor_portal/app.py -- model-railway exhibition: layout & trader stand bookings
# Runs as 3 containers (gunicorn -w 2 each) behind an AWS ALB. ALB is the only hop
# that appends to X-Forwarded-For, hence ProxyFix(x_for=1).
import os

import redis
from flask import Flask, abort, jsonify, request, session
from flask_session import Session
from sqlalchemy import create_engine, text
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash

app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

rds = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=1.5)
app.config.update(
    SECRET_KEY=os.environ["SECRET_KEY"],
    SESSION_TYPE="redis",
    SESSION_REDIS=rds,
    SESSION_PERMANENT=False,
)
Session(app)

engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5, pool_pre_ping=True)

# Static reference data, built once at import and never written afterwards.
GAUGES = {
    "OO": {"scale": "1:76.2", "track_mm": 16.5},
    "HO": {"scale": "1:87", "track_mm": 16.5},
    "N": {"scale": "1:148", "track_mm": 9.0},
    "O": {"scale": "1:43.5", "track_mm": 32.0},
    "G": {"scale": "1:22.5", "track_mm": 45.0},
}

LIMIT_PER_MINUTE = 20


@app.before_request
def throttle():
    if request.method != "POST":
        return
    key = f"rl:{request.remote_addr}:{request.endpoint}"
    pipe = rds.pipeline()
    pipe.incr(key)
    pipe.expire(key, 60, nx=True)
    count, _ = pipe.execute()
    if count > LIMIT_PER_MINUTE:
        abort(429)


@app.post("/exhibitions/<int:exhibition_id>/stands")
def book_stand(exhibition_id):
    if "exhibitor_id" not in session:
        abort(401)
    data = request.get_json(force=True)
    if data.get("gauge") and data["gauge"] not in GAUGES:
        abort(400, "unknown gauge")
    with engine.begin() as conn:
        row = conn.execute(
            text("""
                INSERT INTO stand_bookings (exhibition_id, stand_no, exhibitor_id, gauge, length_m)
                VALUES (:ex, :stand, :who, :gauge, :len)
                ON CONFLICT (exhibition_id, stand_no) DO NOTHING
                RETURNING id
            """),
            {"ex": exhibition_id, "stand": data["stand_no"], "who": session["exhibitor_id"],
             "gauge": data.get("gauge"), "len": data.get("length_m", 4)},
        ).first()
    if row is None:
        return jsonify(error="stand already taken"), 409
    return jsonify(id=row.id), 201


@app.get("/exhibitions/<int:exhibition_id>/stands")
def list_stands(exhibition_id):
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT stand_no, gauge, length_m FROM stand_bookings WHERE exhibition_id = :ex ORDER BY stand_no LIMIT 400"),
            {"ex": exhibition_id},
        ).mappings().all()
    return jsonify(stands=[dict(r) for r in rows], gauges=GAUGES)


@app.post("/login")
def login():
    data = request.get_json(force=True)
    with engine.connect() as conn:
        ex = conn.execute(
            text("SELECT id, password_hash FROM exhibitors WHERE email = :e"), {"e": data["email"]}
        ).first()
    if ex is None or not check_password_hash(ex.password_hash, data["password"]):
        abort(401)
    session["exhibitor_id"] = ex.id
    return jsonify(ok=True)
