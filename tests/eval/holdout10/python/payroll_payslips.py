# payroll/web.py  -- internal payroll admin (Flask)
# runs behind the corp nginx, proxy_read_timeout 30s
import io
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import psycopg2
import psycopg2.extras
import requests
from flask import Flask, abort, jsonify, send_file
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from payroll import config
from payroll.tax import compute_withholding

app = Flask(__name__)


def get_conn():
    return psycopg2.connect(config.DSN, cursor_factory=psycopg2.extras.RealDictCursor)


def render_payslip_pdf(line):
    # compute tax + draw the slip; ~150ms per employee on our box
    gross = Decimal(line["gross"])
    tax = compute_withholding(gross, line["tax_code"], line["ytd_gross"], line["ytd_tax"])
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, 800, f"Payslip - {line['full_name']} ({line['employee_no']})")
    c.setFont("Helvetica", 11)
    y = 760
    for label, amount in (("Gross", gross), ("Income tax", tax), ("Net", gross - tax)):
        c.drawString(60, y, label)
        c.drawRightString(500, y, f"{amount:,.2f}")
        y -= 18
    c.showPage()
    c.save()
    return line["employee_no"], buf.getvalue()


@app.route("/runs/<int:run_id>/departments/<int:dept_id>/payslips.zip")
def department_payslips(run_id, dept_id):
    conn = get_conn()
    with conn, conn.cursor() as cur:
        cur.execute(
            "SELECT e.employee_no, e.full_name, e.tax_code, l.gross, l.ytd_gross, l.ytd_tax "
            "FROM payroll_lines l JOIN employees e ON e.id = l.employee_id "
            "WHERE l.run_id = %s AND e.department_id = %s",
            (run_id, dept_id),
        )
        lines = cur.fetchall()
    conn.close()
    if not lines:
        abort(404)

    with ThreadPoolExecutor(max_workers=8) as pool:
        slips = list(pool.map(render_payslip_pdf, lines))

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for emp_no, pdf in slips:
            zf.writestr(f"{emp_no}.pdf", pdf)
    out.seek(0)
    return send_file(out, mimetype="application/zip", download_name=f"run{run_id}-dept{dept_id}.zip")


@app.route("/runs/<int:run_id>/submit", methods=["POST"])
def submit_to_bank(run_id):
    conn = get_conn()
    with conn, conn.cursor() as cur:
        cur.execute("UPDATE payroll_runs SET status = 'submitting' WHERE id = %s AND status = 'approved' "
                    "RETURNING bank_file", (run_id,))
        row = cur.fetchone()
        if row is None:
            abort(409)
        r = requests.post(config.BANK_API + "/payment-files", data=row["bank_file"],
                          headers={"X-Api-Key": config.BANK_KEY}, timeout=20)
        r.raise_for_status()
        file_id = r.json()["id"]
        # bank validates the file asynchronously; usually 1-4 minutes
        status = "PENDING"
        while status == "PENDING":
            time.sleep(5)
            status = requests.get(f"{config.BANK_API}/payment-files/{file_id}",
                                  headers={"X-Api-Key": config.BANK_KEY}, timeout=10).json()["status"]
        cur.execute("UPDATE payroll_runs SET status = %s, bank_file_id = %s WHERE id = %s",
                    ("submitted" if status == "ACCEPTED" else "rejected", file_id, run_id))
    conn.close()
    return jsonify(run_id=run_id, bank_status=status)
