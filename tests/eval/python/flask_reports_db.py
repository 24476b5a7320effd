import os

import psycopg2
import psycopg2.extras
from flask import Flask, abort, jsonify

app = Flask(__name__)
DSN = os.environ["DATABASE_URL"]


@app.get("/api/customers/<int:customer_id>")
def get_customer(customer_id):
    conn = psycopg2.connect(DSN)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(
                "SELECT id, name, email, plan FROM customers WHERE id = %s", (customer_id,)
            )
            row = cur.fetchone()
    finally:
        conn.close()
    if row is None:
        abort(404)
    return jsonify(row)


@app.get("/api/customers/<int:customer_id>/invoices")
def customer_invoices(customer_id):
    conn = psycopg2.connect(DSN)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(
                "SELECT id, number, total, issued_on FROM invoices "
                "WHERE customer_id = %s ORDER BY issued_on DESC LIMIT 100",
                (customer_id,),
            )
            rows = cur.fetchall()
    finally:
        conn.close()
    return jsonify(rows)
