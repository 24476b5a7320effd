"""Pledges for the walled garden's spring seed swap.

Gardeners pledge packets of a variety they saved last autumn; the swap
table shows what will be on offer. Variety names are checked against the
Heritage Seed Library catalogue so "Crimson Flowered" isn't entered five ways.
"""
import logging
import os

import requests
from flask import Flask, abort, jsonify, request
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool
from requests.adapters import HTTPAdapter

log = logging.getLogger(__name__)
app = Flask(__name__)

pool = ConnectionPool(os.environ["SEEDSWAP_DSN"], min_size=2, max_size=10, timeout=5)

catalogue = requests.Session()
catalogue.mount("https://", HTTPAdapter(pool_connections=4, pool_maxsize=10))
CATALOGUE_URL = "https://catalogue.heritage-seeds.example/api/varieties"
CATALOGUE_TIMEOUT = (3.05, 8)


def lookup_variety(name: str) -> dict | None:
    resp = catalogue.get(CATALOGUE_URL, params={"q": name, "limit": 1}, timeout=CATALOGUE_TIMEOUT)
    resp.raise_for_status()
    matches = resp.json()["results"]
    return matches[0] if matches else None


@app.post("/swaps/<int:swap_id>/pledges")
def pledge(swap_id):
    body = request.get_json(force=True)
    member_id = int(body["member_id"])
    packets = max(1, min(int(body["packets"]), 50))

    try:
        variety = lookup_variety(body["variety"])
    except requests.RequestException:
        log.exception("seed catalogue lookup failed for %r", body["variety"])
        return jsonify(error="catalogue unavailable, try again shortly"), 503
    if variety is None:
        return jsonify(error="variety not found in the catalogue"), 422

    # One pledge per member per variety per swap; a second submission updates the count.
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            """
            INSERT INTO seed_pledges (swap_id, member_id, variety_code, variety_name, packets)
            VALUES (%s, %s, %s, %s, %s)
            ON CONFLICT (swap_id, member_id, variety_code)
            DO UPDATE SET packets = EXCLUDED.packets, updated_at = now()
            RETURNING id, packets
            """,
            (swap_id, member_id, variety["code"], variety["name"], packets),
        )
        row = cur.fetchone()
    return jsonify(pledge_id=row["id"], variety=variety["name"], packets=row["packets"]), 201


@app.get("/swaps/<int:swap_id>/pledges")
def swap_table(swap_id):
    limit = min(int(request.args.get("limit", 50)), 200)
    after = int(request.args.get("after", 0))
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT 1 FROM seed_swaps WHERE id = %s", (swap_id,))
        if cur.fetchone() is None:
            abort(404)
        cur.execute(
            """
            SELECT id, variety_code, variety_name, packets
              FROM seed_pledges
             WHERE swap_id = %s AND id > %s
             ORDER BY id
             LIMIT %s
            """,
            (swap_id, after, limit),
        )
        rows = cur.fetchall()
    next_after = rows[-1]["id"] if len(rows) == limit else None
    return jsonify(pledges=rows, next_after=next_after)
