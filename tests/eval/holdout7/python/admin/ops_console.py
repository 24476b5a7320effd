"""Ops console - internal admin tool for the support team.

Run: gunicorn -w 3 -b 0.0.0.0:8000 admin.ops_console:app   (on the admin VM, behind the VPN)
"""
import csv
import functools
import os
import threading
import uuid
from datetime import datetime

import psycopg2
import psycopg2.pool
from flask import Flask, abort, jsonify, render_template_string, request, send_file

app = Flask(__name__)
pg = psycopg2.pool.ThreadedConnectionPool(1, 8, os.environ["OPS_DSN"], connect_timeout=5)

# export_id -> {"status": "running" | "done" | "error", "path": ..., "started": ...}
EXPORT_JOBS = {}

PAGE = """
<!doctype html>
<html>
<head>
  <title>Ops console</title>
  <script src="https://cdn.tailwindcss.com"></script>
</head>
<body class="bg-slate-50 p-8">
  <h1 class="text-2xl font-semibold mb-4">Customer lookup</h1>
  <form method="get" action="/customer" class="flex gap-2">
    <input name="email" class="border rounded px-2 py-1 w-96" placeholder="email@domain.com">
    <button class="bg-indigo-600 text-white px-3 py-1 rounded">Find</button>
  </form>
  {% if c %}
  <dl class="mt-6 grid grid-cols-2 gap-2 max-w-xl">
    <dt>ID</dt><dd>{{ c.id }}</dd>
    <dt>Name</dt><dd>{{ c.full_name }}</dd>
    <dt>Plan</dt><dd>{{ c.plan }}</dd>
    <dt>Signed up</dt><dd>{{ c.created_at }}</dd>
  </dl>
  {% endif %}
</body>
</html>
"""


@functools.cache
def lookup_customer(email):
    conn = pg.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id, full_name, plan, created_at FROM customers WHERE lower(email) = lower(%s)",
                        (email,))
            row = cur.fetchone()
    finally:
        pg.putconn(conn)
    return dict(zip(["id", "full_name", "plan", "created_at"], row)) if row else None


@app.route("/")
@app.route("/customer")
def customer():
    email = request.args.get("email")
    c = lookup_customer(email.strip()) if email else None
    return render_template_string(PAGE, c=c)


def _run_export(export_id, plan):
    path = f"/tmp/export-{export_id}.csv"
    conn = pg.getconn()
    try:
        with conn.cursor(name=f"exp_{export_id}") as cur, open(path, "w", newline="") as fh:
            cur.itersize = 5000
            cur.execute("SELECT id, email, full_name, plan, created_at FROM customers WHERE plan = %s", (plan,))
            w = csv.writer(fh)
            w.writerow(["id", "email", "full_name", "plan", "created_at"])
            for row in cur:
                w.writerow(row)
        EXPORT_JOBS[export_id].update(status="done", path=path)
    except Exception:
        app.logger.exception("export %s failed", export_id)
        EXPORT_JOBS[export_id]["status"] = "error"
    finally:
        pg.putconn(conn)


@app.post("/exports")
def start_export():
    export_id = uuid.uuid4().hex[:12]
    EXPORT_JOBS[export_id] = {"status": "running", "started": datetime.utcnow().isoformat()}
    threading.Thread(target=_run_export, args=(export_id, request.form["plan"]), daemon=True).start()
    return jsonify(export_id=export_id), 202


@app.get("/exports/<export_id>")
def export_status(export_id):
    job = EXPORT_JOBS.get(export_id) or abort(404)
    if job["status"] == "done" and request.args.get("download"):
        return send_file(job["path"], as_attachment=True)
    return jsonify(job)
