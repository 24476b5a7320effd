# Rare-seed bank: members can put a 48-hour hold on a lot while they arrange
# collection. Flask app behind gunicorn (3 workers).
import os
from datetime import datetime, timedelta, timezone

import psycopg2
from flask import Flask, jsonify, request, g, abort

app = Flask(__name__)
HOLD_HOURS = 48


def get_conn():
    return psycopg2.connect(os.environ["SEEDBANK_DSN"], connect_timeout=5)


@app.post("/banks/<int:bank_id>/lots/<lot_code>/holds")
def place_hold(bank_id, lot_code):
    if bank_id != g.member.bank_id:
        abort(403)
    packets = int(request.json.get("packets", 1))
    expires_at = datetime.now(timezone.utc) + timedelta(hours=HOLD_HOURS)

    conn = get_conn()
    try:
        with conn, conn.cursor() as cur:
            # Reserve packets only if enough are free once live holds are
            # subtracted; the lot row lock serialises concurrent holds.
            cur.execute(
                "SELECT id, packets_available FROM seed_lots "
                "WHERE bank_id = %s AND code = %s FOR UPDATE",
                (bank_id, lot_code),
            )
            lot = cur.fetchone()
            if lot is None:
                abort(404)
            cur.execute(
                "SELECT coalesce(sum(packets), 0) FROM seed_holds "
                "WHERE lot_id = %s AND expires_at > now()",
                (lot[0],),
            )
            held = cur.fetchone()[0]
            if lot[1] - held < packets:
                return jsonify(ok=False, reason="not_enough_free"), 409

            cur.execute(
                "INSERT INTO seed_holds (lot_id, bank_id, member_id, packets, expires_at) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (lot[0], bank_id, g.member.id, packets, expires_at),
            )
            hold_id = cur.fetchone()[0]
    finally:
        conn.close()
    return jsonify(ok=True, hold_id=hold_id, expires_at=expires_at.isoformat()), 201


@app.get("/banks/<int:bank_id>/my-holds")
def my_holds(bank_id):
    if bank_id != g.member.bank_id:
        abort(403)
    conn = get_conn()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT h.id, l.code, l.species, h.packets, h.expires_at "
                "FROM seed_holds h JOIN seed_lots l ON l.id = h.lot_id "
                "WHERE h.bank_id = %s AND h.member_id = %s AND h.expires_at > now() "
                "ORDER BY h.expires_at LIMIT 20",
                (bank_id, g.member.id),
            )
            rows = cur.fetchall()
    finally:
        conn.close()
    return jsonify(holds=[
        {"id": r[0], "lot": r[1], "species": r[2], "packets": r[3],
         "expires_at": r[4].isoformat()} for r in rows
    ])
