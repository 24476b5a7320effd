# is this safe? door readers call these on every badge tap, api runs on 3 pods
import os
import redis
from flask import Flask, jsonify

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=0.5, socket_connect_timeout=0.5)
CAPACITY = {"downtown": 180, "riverside": 120}

@app.post("/clubs/<club>/enter")
def enter(club):
    n = r.incr(f"occupancy:{club}")
    if n > CAPACITY.get(club, 100):
        r.decr(f"occupancy:{club}")
        return jsonify(open_door=False, occupancy=n - 1), 409
    return jsonify(open_door=True, occupancy=n)

@app.post("/clubs/<club>/exit")
def leave(club):
    n = r.decr(f"occupancy:{club}")
    return jsonify(occupancy=max(n, 0))  # nightly job resets counters at close
