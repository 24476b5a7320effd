# grooming/api.py -- Pawsome Grooming booking backend (Flask)
# 3 salons, ~40k customers. Deployed on Heroku, 2 web dynos.
import json
import os

import psycopg2
import psycopg2.errors
import psycopg2.extras
import redis
from flask import Flask, g, jsonify, render_template_string, request
from flask_login import current_user, login_required

app = Flask(__name__)
rds = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2)
DSN = os.environ["DATABASE_URL"]


def db():
    if "db" not in g:
        g.db = psycopg2.connect(DSN, connect_timeout=5, cursor_factory=psycopg2.extras.RealDictCursor)
    return g.db


@app.teardown_appcontext
def close_db(exc):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


@app.route("/api/salons/<int:salon_id>/services")
@login_required
def services(salon_id):
    # price list: bath & dry, nail trim, full groom -- priced by breed size
    key = f"services:{salon_id}:{current_user.id}"
    cached = rds.get(key)
    if cached:
        return jsonify(json.loads(cached))
    cur = db().cursor()
    cur.execute(
        "SELECT id, name, breed_size, duration_min, price_cents FROM services "
        "WHERE salon_id = %s AND active ORDER BY breed_size, name",
        (salon_id,),
    )
    rows = cur.fetchall()
    rds.setex(key, 300, json.dumps(rows))
    return jsonify(rows)


@app.route("/api/my/appointments")
@login_required
def my_appointments():
    cur = db().cursor()
    cur.execute(
        "SELECT a.id, a.starts_at, d.name AS dog, s.name AS service "
        "FROM appointments a JOIN dogs d ON d.id = a.dog_id JOIN services s ON s.id = a.service_id "
        "WHERE a.owner_id = %s AND a.starts_at >= now() ORDER BY a.starts_at LIMIT 50",
        (current_user.id,),
    )
    return jsonify(cur.fetchall())


@app.route("/api/appointments", methods=["POST"])
@login_required
def book():
    b = request.get_json()
    conn = db()
    try:
        with conn, conn.cursor() as cur:
            # unique index (groomer_id, starts_at) keeps a groomer from double booking
            cur.execute(
                "INSERT INTO appointments (owner_id, dog_id, groomer_id, service_id, starts_at) "
                "SELECT %s, d.id, %s, %s, %s FROM dogs d WHERE d.id = %s AND d.owner_id = %s "
                "RETURNING id",
                (current_user.id, b["groomer_id"], b["service_id"], b["starts_at"],
                 b["dog_id"], current_user.id),
            )
            row = cur.fetchone()
    except psycopg2.errors.UniqueViolation:
        return jsonify(error="that slot was just taken"), 409
    if row is None:
        return jsonify(error="unknown dog"), 404
    return jsonify(id=row["id"]), 201


BOOK_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Book a groom</title>
  <script src="https://cdn.tailwindcss.com"></script>
</head>
<body class="bg-amber-50 text-slate-800">
  <main id="booking" class="max-w-xl mx-auto p-6" data-salon="{{ salon_id }}"></main>
  <script src="/static/js/booking.min.js" defer></script>
</body>
</html>"""


@app.route("/book/<int:salon_id>")
def book_page(salon_id):
    return render_template_string(BOOK_PAGE, salon_id=salon_id)
