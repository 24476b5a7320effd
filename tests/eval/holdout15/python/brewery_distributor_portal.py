# Hopline distributor portal - breweries log in and see where their kegs/cases went
# run: gunicorn -w 3 portal:app
import os
from datetime import date

from flask import Flask, g, jsonify, render_template_string, request, session, abort
from psycopg_pool import ConnectionPool
from psycopg.rows import dict_row

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET"]
pool = ConnectionPool(os.environ["DATABASE_URL"], min_size=2, max_size=10,
                      kwargs={"row_factory": dict_row})

DASHBOARD_HTML = """<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>Hopline | {{ brewery.name }}</title>
  <script src="https://cdn.tailwindcss.com"></script>
  <script src="https://unpkg.com/alpinejs@3.14.1/dist/cdn.min.js" defer></script>
</head>
<body class="bg-amber-50 text-stone-800">
  <main class="max-w-5xl mx-auto p-6" x-data="{ tab: 'shipments' }">
    <h1 class="text-2xl font-bold">{{ brewery.name }}</h1>
    <nav class="flex gap-4 mt-4">
      <button @click="tab='shipments'">Shipments</button>
      <button @click="tab='leaders'">Top distributors</button>
    </nav>
    <div id="app" data-brewery="{{ brewery.id }}"></div>
  </main>
  <script src="/static/portal.js"></script>
</body>
</html>"""


def current_brewery_id():
    bid = session.get("brewery_id")
    if bid is None:
        abort(401)
    return bid


@app.get("/")
def dashboard():
    bid = current_brewery_id()
    with pool.connection() as conn:
        brewery = conn.execute("SELECT id, name FROM breweries WHERE id = %s", (bid,)).fetchone()
    return render_template_string(DASHBOARD_HTML, brewery=brewery)


@app.get("/api/shipments")
def shipments():
    bid = current_brewery_id()
    with pool.connection() as conn:
        rows = conn.execute(
            """SELECT s.id, s.shipped_at, s.sku, s.format, s.units, d.name AS distributor, s.state
               FROM shipments s JOIN distributors d ON d.id = s.distributor_id
               WHERE s.brewery_id = %s
               ORDER BY s.shipped_at DESC""",
            (bid,),
        ).fetchall()
    return jsonify(rows)


@app.get("/api/leaderboard")
def distributor_leaderboard():
    """Top distributors by barrels moved this year, with depletion rate.

    portal.js refreshes this card every 30 s while the dashboard is open.
    """
    bid = current_brewery_id()
    year_start = date(date.today().year, 1, 1)
    with pool.connection() as conn:
        rows = conn.execute(
            """SELECT d.id, d.name, d.state,
                      SUM(s.units * f.barrels_per_unit)                      AS barrels,
                      SUM(dep.units * f.barrels_per_unit)                    AS depleted,
                      COUNT(DISTINCT dep.retailer_id)                        AS retailers
               FROM distributors d
               JOIN shipments s   ON s.distributor_id = d.id AND s.brewery_id = %(bid)s
               JOIN formats f     ON f.code = s.format
               LEFT JOIN depletions dep ON dep.shipment_id = s.id
               WHERE s.shipped_at >= %(since)s
               GROUP BY d.id, d.name, d.state
               ORDER BY barrels DESC
               LIMIT 20""",
            {"bid": bid, "since": year_start},
        ).fetchall()
    return jsonify(rows)


@app.post("/api/shipments/<int:shipment_id>/received")
def mark_received(shipment_id):
    bid = current_brewery_id()
    with pool.connection() as conn:
        cur = conn.execute(
            "UPDATE shipments SET received_at = now() WHERE id = %s AND brewery_id = %s AND received_at IS NULL",
            (shipment_id, bid),
        )
        if cur.rowcount == 0:
            abort(404)
    return jsonify(ok=True)
