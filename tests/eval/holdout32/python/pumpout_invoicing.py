# canalside/pumpout.py — pump-out station bookings at the marina, plus the
# end-of-season invoicing run the harbourmaster triggers from the admin page.
# Served by gunicorn (4 sync workers) behind nginx on the marina's VPS.
import os
from decimal import Decimal

import psycopg2
import psycopg2.extras
from flask import Flask, abort, jsonify, render_template, request

from canalside.auth import require_admin, require_boater
from canalside.invoices import render_invoice_pdf, email_invoice

app = Flask(__name__)
DSN = os.environ["PUMPOUT_DSN"]

PUMPOUT_FEE = Decimal("18.00")
SELF_SERVICE_CARD_FEE = Decimal("12.50")


def db():
    return psycopg2.connect(DSN, cursor_factory=psycopg2.extras.RealDictCursor, connect_timeout=5)


@app.get("/pumpout/slots")
@require_boater
def open_slots():
    day = request.args.get("day")
    conn = db()
    try:
        with conn.cursor() as cur:
            cur.execute(
                """
                SELECT s.id, s.starts_at, s.station
                FROM pumpout_slots s
                LEFT JOIN pumpout_bookings b ON b.slot_id = s.id
                WHERE s.starts_at::date = %s AND b.id IS NULL
                ORDER BY s.starts_at
                LIMIT 48
                """,
                (day,),
            )
            return jsonify(cur.fetchall())
    finally:
        conn.close()


@app.post("/pumpout/slots/<int:slot_id>/book")
@require_boater
def book(slot_id):
    boat = request.boater.boat_index_number
    conn = db()
    try:
        with conn, conn.cursor() as cur:
            # pumpout_bookings.slot_id is UNIQUE, so a second booking for the slot fails cleanly
            cur.execute(
                """
                INSERT INTO pumpout_bookings (slot_id, boat_index, fee)
                VALUES (%s, %s, %s)
                ON CONFLICT (slot_id) DO NOTHING
                RETURNING id
                """,
                (slot_id, boat, PUMPOUT_FEE),
            )
            row = cur.fetchone()
        if row is None:
            abort(409)
        return jsonify(booking_id=row["id"]), 201
    finally:
        conn.close()


@app.post("/admin/season-invoices")
@require_admin
def run_season_invoices():
    season = request.form["season"]
    conn = db()
    sent = 0
    try:
        with conn.cursor() as cur:
            cur.execute(
                """
                SELECT boat_index, owner_email, count(*) AS pumpouts, sum(fee) AS total
                FROM pumpout_bookings b JOIN boats USING (boat_index)
                WHERE b.season = %s AND NOT b.invoiced
                GROUP BY boat_index, owner_email
                """,
                (season,),
            )
            # ~600 boats on the licence list; each PDF takes a second or two to render.
            for boat in cur.fetchall():
                pdf = render_invoice_pdf(boat, season)
                email_invoice(boat["owner_email"], pdf)
                sent += 1
            cur.execute(
                "UPDATE pumpout_bookings SET invoiced = true WHERE season = %s", (season,)
            )
        conn.commit()
    finally:
        conn.close()
    return render_template("admin/invoices_done.html", sent=sent, season=season)
