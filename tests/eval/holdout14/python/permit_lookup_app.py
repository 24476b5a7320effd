# permit lookup site (public) - plate -> permit status for enforcement officers & residents
# prod: gunicorn -w 4 -b 0.0.0.0:8000 permit_lookup_app:app   (2 VMs behind the city LB)
import os
import time
from collections import defaultdict, deque

import psycopg2.pool
from flask import Flask, abort, g, jsonify, render_template_string, request

app = Flask(__name__)

db_pool = psycopg2.pool.SimpleConnectionPool(
    1, 5, dsn=os.environ["PERMITS_DSN"], connect_timeout=5
)

WINDOW = 60
MAX_LOOKUPS = 30
_hits = defaultdict(deque)  # ip -> timestamps of recent lookups

PAGE = """<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>Parking permit lookup</title>
  <script src="https://cdn.tailwindcss.com"></script>
</head>
<body class="bg-slate-50 p-8">
  <form class="max-w-md mx-auto" action="/lookup">
    <label class="block text-sm font-medium">Plate</label>
    <input name="plate" class="border rounded w-full p-2" autofocus>
    <button class="mt-4 bg-blue-700 text-white px-4 py-2 rounded">Check</button>
  </form>
</body>
</html>"""


def client_ip():
    return request.headers.get("X-Forwarded-For", request.remote_addr).split(",")[0].strip()


@app.before_request
def throttle():
    if request.path != "/lookup":
        return
    ip = client_ip()
    now = time.time()
    q = _hits[ip]
    while q and q[0] < now - WINDOW:
        q.popleft()
    if len(q) >= MAX_LOOKUPS:
        abort(429)
    q.append(now)


@app.teardown_appcontext
def release_conn(exc):
    conn = g.pop("conn", None)
    if conn is not None:
        db_pool.putconn(conn)


def get_conn():
    if "conn" not in g:
        g.conn = db_pool.getconn()
    return g.conn


@app.get("/")
def index():
    return render_template_string(PAGE)


@app.get("/lookup")
def lookup():
    plate = request.args.get("plate", "").upper().replace(" ", "")
    if not plate:
        abort(400)
    with get_conn().cursor() as cur:
        cur.execute(
            "SELECT zone, kind, valid_from, valid_until, status FROM permits "
            "WHERE plate = %s AND valid_until >= current_date ORDER BY valid_until DESC LIMIT 5",
            (plate,),
        )
        rows = cur.fetchall()
    return jsonify([
        {"zone": z, "kind": k, "from": f.isoformat(), "until": u.isoformat(), "status": s}
        for z, k, f, u, s in rows
    ])
