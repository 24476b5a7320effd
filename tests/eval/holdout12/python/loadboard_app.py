# loadboard_app.py -- public load board for the brokerage
# prod: gunicorn -w 4 -b 0.0.0.0:8000 loadboard_app:app  (2 VMs behind the nginx LB)
import os
import time
from collections import defaultdict, deque

from flask import Flask, abort, jsonify, render_template_string, request
from psycopg_pool import ConnectionPool

app = Flask(__name__)
pool = ConnectionPool(os.environ["DATABASE_URL"], min_size=2, max_size=10)

RATE_LIMIT = 60          # requests
RATE_WINDOW = 60.0       # seconds
_recent = defaultdict(deque)   # ip -> timestamps


def client_ip():
    fwd = request.headers.get("X-Forwarded-For", "")
    return fwd.split(",")[0].strip() if fwd else request.remote_addr


@app.before_request
def throttle():
    if request.path.startswith("/static"):
        return
    ip = client_ip()
    now = time.monotonic()
    q = _recent[ip]
    while q and now - q[0] > RATE_WINDOW:
        q.popleft()
    if len(q) >= RATE_LIMIT:
        abort(429)
    q.append(now)


BOARD_HTML = """<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>Open loads</title>
  <script src="https://cdn.tailwindcss.com"></script>
</head>
<body class="bg-slate-50 p-6">
  <h1 class="text-2xl font-bold mb-4">Open loads</h1>
  <table class="min-w-full text-sm">
    {% for l in loads %}
    <tr class="border-b"><td>{{ l.origin }}</td><td>{{ l.destination }}</td>
        <td>{{ l.equipment }}</td><td>${{ l.rate }}</td><td>{{ l.pickup_date }}</td></tr>
    {% endfor %}
  </table>
  {% if next_cursor %}<a href="?after={{ next_cursor }}">More</a>{% endif %}
</body>
</html>"""


def fetch_loads(after_id, equipment=None, limit=50):
    sql = """SELECT id, origin, destination, equipment, rate, pickup_date
               FROM loads
              WHERE status = 'open' AND id > %s"""
    params = [after_id]
    if equipment:
        sql += " AND equipment = %s"
        params.append(equipment)
    sql += " ORDER BY id LIMIT %s"
    params.append(limit)
    with pool.connection() as conn:
        cur = conn.execute(sql, params)
        cols = [c.name for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]


@app.get("/")
def board():
    after = request.args.get("after", 0, type=int)
    loads = fetch_loads(after, request.args.get("equipment"))
    next_cursor = loads[-1]["id"] if len(loads) == 50 else None
    return render_template_string(BOARD_HTML, loads=loads, next_cursor=next_cursor)


@app.get("/api/loads")
def api_loads():
    after = request.args.get("after", 0, type=int)
    limit = min(request.args.get("limit", 50, type=int), 200)
    return jsonify(fetch_loads(after, request.args.get("equipment"), limit))


@app.get("/api/loads/<int:load_id>")
def api_load(load_id):
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT id, origin, destination, equipment, rate, weight_lbs, pickup_date, notes "
            "FROM loads WHERE id = %s AND status = 'open'", (load_id,)).fetchone()
    if row is None:
        abort(404)
    keys = ("id", "origin", "destination", "equipment", "rate", "weight_lbs", "pickup_date", "notes")
    return jsonify(dict(zip(keys, row)))
