# hr-portal / payroll blueprint
# prod: gunicorn -w 4 --timeout 30 behind AWS ALB, ~600 customer orgs, biggest has 14k employees
import io
import zipfile
from datetime import date

from flask import Blueprint, abort, g, jsonify, request, send_file
from sqlalchemy import text
from weasyprint import HTML

from .auth import login_required, require_role
from .db import engine
from .templates import render_payslip_html

bp = Blueprint("payroll", __name__, url_prefix="/api/payroll")


@bp.get("/summary")
@login_required
def payroll_summary():
    """Dashboard tiles: gross/net/tax per department for the current year."""
    year_start = date(date.today().year, 1, 1)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT d.name AS department,
                       COUNT(DISTINCT pe.employee_id) AS headcount,
                       SUM(pe.gross_amount)          AS gross,
                       SUM(pe.net_amount)            AS net,
                       SUM(pe.tax_withheld)          AS tax
                FROM payroll_entries pe
                JOIN employees e   ON e.id = pe.employee_id
                JOIN departments d ON d.id = e.department_id
                WHERE pe.org_id = :org_id AND pe.pay_date >= :year_start
                GROUP BY d.name
                ORDER BY gross DESC
                """
            ),
            {"org_id": g.org_id, "year_start": year_start},
        ).mappings().all()
    return jsonify([dict(r) for r in rows])


@bp.get("/entries")
@login_required
@require_role("payroll_admin")
def list_entries():
    """All payroll lines for the org, newest first (used by the entries grid)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT pe.id, pe.employee_id, e.full_name, pe.pay_date, pe.gross_amount, "
                "pe.net_amount, pe.tax_withheld, pe.run_id "
                "FROM payroll_entries pe JOIN employees e ON e.id = pe.employee_id "
                "WHERE pe.org_id = :org_id ORDER BY pe.pay_date DESC"
            ),
            {"org_id": g.org_id},
        ).mappings().all()
    return jsonify([dict(r) for r in rows])


@bp.get("/runs/<int:run_id>/payslips.zip")
@login_required
@require_role("payroll_admin")
def download_payslips(run_id: int):
    """Render one PDF payslip per employee in the run and return them zipped."""
    with engine.connect() as conn:
        run = conn.execute(
            text("SELECT id, period_label FROM payroll_runs WHERE id = :id AND org_id = :org_id"),
            {"id": run_id, "org_id": g.org_id},
        ).mappings().first()
        if run is None:
            abort(404)
        slips = conn.execute(
            text(
                "SELECT e.full_name, e.employee_no, pe.* FROM payroll_entries pe "
                "JOIN employees e ON e.id = pe.employee_id "
                "WHERE pe.run_id = :run_id AND pe.org_id = :org_id"
            ),
            {"run_id": run_id, "org_id": g.org_id},
        ).mappings().all()

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for slip in slips:
            pdf = HTML(string=render_payslip_html(slip, run)).write_pdf()
            zf.writestr(f"{slip['employee_no']}-{run['period_label']}.pdf", pdf)
    buf.seek(0)
    return send_file(buf, mimetype="application/zip", as_attachment=True,
                     download_name=f"payslips-{run['period_label']}.zip")
