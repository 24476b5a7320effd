# merchant back office: invoice endpoints
# (FastAPI app mounted under /backoffice, reads from the reporting replica)
import io
import os
from datetime import date

import psycopg2
import psycopg2.extras
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import HTMLResponse, StreamingResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import HTML

from backoffice.auth import current_merchant

router = APIRouter(prefix="/invoices")
env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())
REPORTING_DSN = os.environ["REPORTING_DSN"]

# invoices never change once issued, so we keep the rendered html around
_rendered = {}


def get_cursor():
    conn = psycopg2.connect(REPORTING_DSN)
    try:
        yield conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
    finally:
        conn.close()


def render_invoice(inv):
    html = _rendered.get(inv["id"])
    if html is None:
        html = env.get_template("invoice.html").render(invoice=inv)
        _rendered[inv["id"]] = html
    return html


@router.get("/{invoice_id}", response_class=HTMLResponse)
def show_invoice(invoice_id: int, merchant=Depends(current_merchant), cur=Depends(get_cursor)):
    cur.execute(
        "SELECT i.*, c.name AS customer_name, c.email AS customer_email "
        "FROM invoices i JOIN customers c ON c.id = i.customer_id "
        "WHERE i.id = %s AND i.merchant_id = %s",
        (invoice_id, merchant.id),
    )
    inv = cur.fetchone()
    if not inv:
        raise HTTPException(404)
    return render_invoice(inv)


@router.get("/export/monthly.pdf")
def monthly_pdf(
    month: str = Query(..., regex=r"^\d{4}-\d{2}$"),
    merchant=Depends(current_merchant),
    cur=Depends(get_cursor),
):
    # accountants download this at month end -- one PDF with every invoice of the month
    # (bigger merchants have 3-8k invoices a month)
    y, m = map(int, month.split("-"))
    start = date(y, m, 1)
    end = date(y + (m == 12), m % 12 + 1, 1)
    cur.execute(
        "SELECT i.*, c.name AS customer_name, c.email AS customer_email "
        "FROM invoices i JOIN customers c ON c.id = i.customer_id "
        "WHERE i.merchant_id = %s AND i.issued_at >= %s AND i.issued_at < %s "
        "ORDER BY i.issued_at",
        (merchant.id, start, end),
    )
    pages = [render_invoice(inv) for inv in cur]
    combined = "\n".join(f'<section style="page-break-after: always">{p}</section>' for p in pages)
    pdf = HTML(string=combined).write_pdf()
    return StreamingResponse(
        io.BytesIO(pdf),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="invoices-{month}.pdf"'},
    )
