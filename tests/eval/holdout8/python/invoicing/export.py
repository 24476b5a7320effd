# invoicing/export.py
# "Download all invoices" button + emailing a statement.
# Runs behind the AWS ALB (idle timeout 30s), 3 tasks on ECS.
import io
import os
import zipfile

import psycopg2
import psycopg2.extras
import requests
from flask import Blueprint, g, jsonify, send_file

from .auth import login_required
from .pdf import render_invoice_pdf

bp = Blueprint("export", __name__)

DSN = os.environ["DATABASE_URL"]
MAILER_URL = os.environ.get("MAILER_URL", "https://mailer.internal/api/send")


def db():
    conn = psycopg2.connect(DSN)
    conn.autocommit = True
    return conn


@bp.get("/accounts/<int:account_id>/invoices/export.zip")
@login_required
def export_all(account_id):
    if account_id != g.user.account_id:
        return jsonify(error="forbidden"), 403

    conn = db()
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(
                "SELECT i.*, c.name AS customer_name FROM invoices i "
                "JOIN customers c ON c.id = i.customer_id WHERE i.account_id = %s ORDER BY i.issued_at",
                (account_id,),
            )
            invoices = cur.fetchall()
    finally:
        conn.close()

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        # some accounts have 8-9k invoices; each render is ~150ms
        for inv in invoices:
            pdf_bytes = render_invoice_pdf(inv)
            zf.writestr(f"{inv['number']}.pdf", pdf_bytes)
    buf.seek(0)
    return send_file(buf, mimetype="application/zip", as_attachment=True,
                     download_name=f"invoices-{account_id}.zip")


@bp.post("/accounts/<int:account_id>/statement/email")
@login_required
def email_statement(account_id):
    if account_id != g.user.account_id:
        return jsonify(error="forbidden"), 403

    conn = db()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT coalesce(sum(total_cents - paid_cents), 0) FROM invoices "
                "WHERE account_id = %s AND status = 'open'",
                (account_id,),
            )
            (outstanding,) = cur.fetchone()
    finally:
        conn.close()

    resp = requests.post(MAILER_URL, json={
        "to": g.user.email,
        "template": "statement",
        "vars": {"outstanding": outstanding / 100},
    })
    resp.raise_for_status()
    return jsonify(sent=True)
