# app/reports/routes.py
import io
import zipfile
from datetime import date

from flask import Blueprint, abort, jsonify, request, send_file
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Customer, Order
from app.pdf import render_statement_pdf

bp = Blueprint("reports", __name__, url_prefix="/api/reports")


@bp.get("/orders")
@login_required
def list_orders():
    """Orders table on the reports page (client does sorting/filtering)."""
    q = Order.query.filter_by(org_id=current_user.org_id)
    status = request.args.get("status")
    if status:
        q = q.filter_by(status=status)
    orders = q.order_by(Order.created_at.desc()).all()
    return jsonify([o.to_dict() for o in orders])


@bp.get("/orders/<int:order_id>")
@login_required
def get_order(order_id):
    order = Order.query.filter_by(id=order_id, org_id=current_user.org_id).first()
    if order is None:
        abort(404)
    return jsonify(order.to_dict())


@bp.post("/statements")
@login_required
def download_statements():
    """Year-end statements: one PDF per customer, zipped, returned directly."""
    year = int(request.json.get("year", date.today().year - 1))
    customers = (
        Customer.query.filter_by(org_id=current_user.org_id)
        .options(selectinload(Customer.orders))
        .yield_per(500)
    )

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for customer in customers:
            yearly = [o for o in customer.orders if o.created_at.year == year]
            pdf_bytes = render_statement_pdf(customer, yearly, year=year)
            zf.writestr(f"statement-{year}-{customer.id}.pdf", pdf_bytes)
    buf.seek(0)

    return send_file(
        buf,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"statements-{year}.zip",
    )
