# Harvest picking rota API for the estate's seasonal pickers.
# Served by gunicorn -w 4 behind the estate's nginx.
import logging
import os
from datetime import date

import psycopg2.pool
import requests
from flask import Flask, g, jsonify, request, abort

app = Flask(__name__)
log = logging.getLogger("rota")

pool = psycopg2.pool.ThreadedConnectionPool(
    2, 10, dsn=os.environ["ROTA_DSN"], connect_timeout=5
)
SMS_URL = os.environ["SMS_GATEWAY_URL"]


@app.before_request
def take_conn():
    g.conn = pool.getconn()


@app.teardown_request
def give_back(exc):
    conn = g.pop("conn", None)
    if conn is not None:
        pool.putconn(conn)


def notify_picker(phone: str, block: str, day: date) -> None:
    """Text the picker their block and start time."""
    requests.post(
        SMS_URL,
        json={"to": phone,
              "body": f"You're picking block {block} on {day:%a %d %b}, 06:30 at the press house."},
    )


@app.post("/estates/<int:estate_id>/shifts/<int:shift_id>/join")
def join_shift(estate_id, shift_id):
    if estate_id != g.user.estate_id:
        abort(403)
    picker_id = g.user.picker_id
    with g.conn, g.conn.cursor() as cur:
        cur.execute(
            "SELECT s.block_name, s.shift_date, s.max_pickers, "
            "(SELECT count(*) FROM shift_pickers sp WHERE sp.shift_id = s.id) "
            "FROM shifts s WHERE s.id = %s AND s.estate_id = %s",
            (shift_id, estate_id),
        )
        row = cur.fetchone()
        if row is None:
            abort(404)
        block, shift_date, max_pickers, current = row

        if current >= max_pickers:
            return jsonify(ok=False, reason="shift_full"), 409

        cur.execute(
            "INSERT INTO shift_pickers (shift_id, picker_id, joined_at) "
            "VALUES (%s, %s, now())",
            (shift_id, picker_id),
        )
        cur.execute("SELECT phone FROM pickers WHERE id = %s AND estate_id = %s",
                    (picker_id, estate_id))
        phone = cur.fetchone()[0]

    notify_picker(phone, block, shift_date)
    return jsonify(ok=True, block=block, date=shift_date.isoformat()), 201


@app.get("/estates/<int:estate_id>/shifts")
def list_shifts(estate_id):
    if estate_id != g.user.estate_id:
        abort(403)
    with g.conn.cursor() as cur:
        cur.execute(
            "SELECT id, block_name, shift_date, max_pickers FROM shifts "
            "WHERE estate_id = %s AND shift_date >= current_date "
            "ORDER BY shift_date LIMIT 60",
            (estate_id,),
        )
        rows = cur.fetchall()
    return jsonify(shifts=[
        {"id": r[0], "block": r[1], "date": r[2].isoformat(), "max": r[3]}
        for r in rows
    ])
