# St Aldhelm's village choir: robe wardrobe app.
# Members borrow a robe for the season and hand it back at the AGM.
import os
from datetime import date

import psycopg2
from psycopg2.extras import RealDictCursor
from flask import Flask, abort, jsonify, request

app = Flask(__name__)

ROBES_DSN = os.environ.get("ROBES_DSN", "dbname=robes user=wardrobe host=localhost")


def get_conn():
    """Open a connection for the current request."""
    return psycopg2.connect(ROBES_DSN, connect_timeout=5)


@app.post("/robe-types/<int:robe_type_id>/loans")
def lend_robe(robe_type_id):
    payload = request.get_json(force=True)
    member_id = int(payload["member_id"])

    conn = get_conn()
    try:
        with conn, conn.cursor(cursor_factory=RealDictCursor) as cur:
            # Take one robe off the rail only if there is one left.
            cur.execute(
                "UPDATE robe_types SET in_stock = in_stock - 1 "
                "WHERE id = %s AND in_stock > 0 RETURNING size, colour",
                (robe_type_id,),
            )
            robe = cur.fetchone()
            if robe is None:
                return jsonify(error="none of that size left on the rail"), 409
            cur.execute(
                "INSERT INTO robe_loans (robe_type_id, member_id, lent_on) "
                "VALUES (%s, %s, %s) RETURNING id",
                (robe_type_id, member_id, date.today()),
            )
            loan_id = cur.fetchone()["id"]
    finally:
        conn.close()

    return jsonify(loan_id=loan_id, size=robe["size"], colour=robe["colour"]), 201


@app.post("/loans/<int:loan_id>/return")
def return_robe(loan_id):
    conn = get_conn()
    try:
        with conn, conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute(
                "UPDATE robe_loans SET returned_on = %s "
                "WHERE id = %s AND returned_on IS NULL RETURNING robe_type_id",
                (date.today(), loan_id),
            )
            loan = cur.fetchone()
            if loan is None:
                abort(404)

            cur.execute(
                "SELECT in_stock FROM robe_types WHERE id = %s",
                (loan["robe_type_id"],),
            )
            in_stock = cur.fetchone()["in_stock"]

            # Robe goes back on the rail.
            cur.execute(
                "UPDATE robe_types SET in_stock = %s WHERE id = %s",
                (in_stock + 1, loan["robe_type_id"]),
            )
    finally:
        conn.close()

    return jsonify(returned=True)


@app.get("/members/<int:member_id>/loans")
def member_loans(member_id):
    conn = get_conn()
    try:
        with conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute(
                "SELECT l.id, r.size, r.colour, l.lent_on, l.returned_on "
                "FROM robe_loans l JOIN robe_types r ON r.id = l.robe_type_id "
                "WHERE l.member_id = %s ORDER BY l.lent_on DESC LIMIT 20",
                (member_id,),
            )
            rows = cur.fetchall()
    finally:
        conn.close()
    return jsonify(loans=rows)
