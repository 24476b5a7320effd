# Q: "Our /charts/weekly endpoint is fine most of the time, but every 5 minutes
#     when the cache key expires we see a burst of identical GROUP BY queries
#     and Postgres CPU spikes to 100%. We run 4 pods x 2 gunicorn workers."
#
# A: That's a cache stampede: every request that misses recomputes the chart at
#    the same moment. The version below fixes it with two things:
#      * the cached value carries a soft expiry; after it passes, ONE caller
#        (whoever wins a Redis SET NX lock) recomputes while everyone else keeps
#        serving the slightly stale chart;
#      * on a cold start (no value at all) the losers wait briefly for the
#        winner instead of all hitting the database.
import json
import os
import random
import time
import uuid

import psycopg2.pool
import redis
from flask import Flask, abort, jsonify

app = Flask(__name__)
rds = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=1.0)
db_pool = psycopg2.pool.ThreadedConnectionPool(1, 8, os.environ["DATABASE_URL"], connect_timeout=5)

SOFT_TTL = 300        # recompute after 5 min
HARD_TTL = 3600       # keep serving stale data for up to an hour if recompute keeps failing
LOCK_TTL = 30

# Station list is static config; loaded once when the worker boots, never written afterwards.
with open(os.environ.get("STATIONS_FILE", "/etc/radio/stations.json")) as fh:
    STATIONS = {s["call_sign"]: s for s in json.load(fh)}

RELEASE_LOCK = rds.register_script(
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def _compute_weekly_chart(call_sign: str) -> list[dict]:
    conn = db_pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute(
                """SELECT t.artist, t.title, count(*) AS spins
                   FROM plays p JOIN tracks t ON t.id = p.track_id
                   WHERE p.station = %s AND p.played_at >= now() - interval '7 days'
                   GROUP BY t.artist, t.title
                   ORDER BY spins DESC
                   LIMIT 40""",
                (call_sign,),
            )
            return [{"artist": a, "title": t, "spins": n} for a, t, n in cur.fetchall()]
    finally:
        db_pool.putconn(conn)


def get_chart(call_sign: str) -> list[dict]:
    key, lock_key = f"chart:weekly:{call_sign}", f"lock:chart:weekly:{call_sign}"
    for attempt in range(8):
        raw = rds.get(key)
        entry = json.loads(raw) if raw else None
        if entry and entry["soft_exp"] > time.time():
            return entry["chart"]

        token = uuid.uuid4().hex
        if rds.set(lock_key, token, nx=True, ex=LOCK_TTL):
            try:
                chart = _compute_weekly_chart(call_sign)
                rds.set(key, json.dumps({"chart": chart, "soft_exp": time.time() + SOFT_TTL}), ex=HARD_TTL)
                return chart
            finally:
                RELEASE_LOCK(keys=[lock_key], args=[token])

        if entry:                 # someone else is refreshing: serve stale
            return entry["chart"]
        # cold cache: wait for the winner (capped, jittered backoff)
        time.sleep(min(0.05 * 2 ** attempt, 0.5) + random.uniform(0, 0.05))
    abort(503)


@app.get("/stations/<call_sign>/charts/weekly")
def weekly_chart(call_sign):
    station = STATIONS.get(call_sign.upper())
    if station is None:
        abort(404)
    return jsonify(station=station["name"], chart=get_chart(station["call_sign"]))
