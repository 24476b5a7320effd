import logging
import time

import psycopg2
import psycopg2.extras
import requests
from flask import Flask, abort, g, jsonify

from .auth import login_required, current_volunteer

app = Flask(__name__)
app.config.from_prefixed_env()
log = logging.getLogger(__name__)

PARTS_API = "https://api.partsfinder.example/v2"

# One session for the supplier so TLS connections are reused between lookups.
parts_http = requests.Session()
parts_http.headers.update({"Authorization": f"Bearer {app.config.get('PARTS_API_KEY', '')}"})


class PartsLookupFailed(RuntimeError):
    pass


def get_db():
    if "db" not in g:
        g.db = psycopg2.connect(app.config["DATABASE_URL"], connect_timeout=5)
    return g.db


@app.teardown_appcontext
def close_db(exc):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def fetch_part_prices(part_numbers: list[str]) -> dict[str, int]:
    for attempt in range(4):
        try:
            resp = parts_http.post(f"{PARTS_API}/prices", json={"parts": part_numbers}, timeout=8)
            resp.raise_for_status()
            return {p["part_number"]: p["price_pence"] for p in resp.json()["prices"]}
        except requests.RequestException as exc:
            log.warning("parts lookup attempt %d failed: %s", attempt + 1, exc)
            time.sleep(2)
    raise PartsLookupFailed(f"no prices for {len(part_numbers)} parts")


@app.get("/cafes/<int:cafe_id>/tickets/<int:ticket_id>/quote")
@login_required
def ticket_quote(cafe_id: int, ticket_id: int):
    if current_volunteer().cafe_id != cafe_id:
        abort(403)

    conn = get_db()
    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(
            "SELECT id, appliance, fault_summary, status FROM appliance_tickets WHERE id = %s AND cafe_id = %s",
            (ticket_id, cafe_id),
        )
        ticket = cur.fetchone()
        if ticket is None:
            abort(404)
        cur.execute(
            "SELECT part_number, quantity FROM ticket_parts WHERE ticket_id = %s AND cafe_id = %s ORDER BY part_number",
            (ticket_id, cafe_id),
        )
        parts = cur.fetchall()

    if not parts:
        return jsonify(ticket=ticket, parts=[], total_pence=0)

    try:
        prices = fetch_part_prices([p["part_number"] for p in parts])
    except PartsLookupFailed:
        log.exception("quote for ticket %s unavailable", ticket_id)
        return jsonify(error="Parts prices are unavailable right now"), 503

    lines = [
        {**p, "unit_pence": prices.get(p["part_number"]), "line_pence": (prices.get(p["part_number"]) or 0) * p["quantity"]}
        for p in parts
    ]
    return jsonify(ticket=ticket, parts=lines, total_pence=sum(l["line_pence"] for l in lines))
