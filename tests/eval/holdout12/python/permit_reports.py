# permit_reports.py - reporting endpoints for the city permits portal
# Runs as a separate FastAPI service behind the API gateway (30 s upstream timeout).
import io
import os
from datetime import date

import psycopg2
import psycopg2.extras
from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.responses import StreamingResponse
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from permits.auth import StaffUser, require_staff

app = FastAPI(title="permit-reports")
DSN = os.environ["PERMITS_DSN"]


def get_db():
    conn = psycopg2.connect(DSN, cursor_factory=psycopg2.extras.RealDictCursor)
    try:
        yield conn
    finally:
        conn.close()


@app.get("/reports/dashboard")
def dashboard(user: StaffUser = Depends(require_staff), db=Depends(get_db)):
    muni = int(user.municipality_id)
    with db.cursor() as cur:
        cur.execute(f"""
            SELECT p.permit_type,
                   d.name AS department,
                   COUNT(*) FILTER (WHERE p.status = 'submitted')  AS submitted,
                   COUNT(*) FILTER (WHERE p.status = 'in_review')  AS in_review,
                   COUNT(*) FILTER (WHERE p.status = 'approved')   AS approved,
                   COUNT(*) FILTER (WHERE p.status = 'rejected')   AS rejected,
                   AVG(EXTRACT(EPOCH FROM (p.decided_at - p.submitted_at)) / 86400)
                       AS avg_days_to_decision,
                   SUM(f.amount_cents) AS fees_collected_cents
              FROM permits p
              JOIN departments d ON d.id = p.department_id
              LEFT JOIN permit_fees f ON f.permit_id = p.id AND f.paid_at IS NOT NULL
             WHERE p.municipality_id = {muni}
             GROUP BY p.permit_type, d.name
             ORDER BY p.permit_type, d.name
        """)
        return {"rows": cur.fetchall()}


@app.get("/reports/permits.pdf")
def permits_pdf(
    year: int = Query(..., ge=2000, le=2100),
    user: StaffUser = Depends(require_staff),
    db=Depends(get_db),
):
    """Full annual register: one page per permit, with inspections (15-20k permits/yr for the big cities)."""
    with db.cursor() as cur:
        cur.execute(
            "SELECT * FROM permits WHERE municipality_id = %s "
            "AND submitted_at >= %s AND submitted_at < %s ORDER BY permit_number",
            (user.municipality_id, date(year, 1, 1), date(year + 1, 1, 1)),
        )
        permits = cur.fetchall()
        cur.execute(
            "SELECT i.* FROM inspections i JOIN permits p ON p.id = i.permit_id "
            "WHERE p.municipality_id = %s AND p.submitted_at >= %s AND p.submitted_at < %s",
            (user.municipality_id, date(year, 1, 1), date(year + 1, 1, 1)),
        )
        inspections = {}
        for row in cur.fetchall():
            inspections.setdefault(row["permit_id"], []).append(row)

    if not permits:
        raise HTTPException(404, "no permits for that year")

    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=letter)
    story = []
    for p in permits:
        story.extend(_permit_page(p, inspections.get(p["id"], []), styles))
    doc.build(story)
    buf.seek(0)
    return StreamingResponse(buf, media_type="application/pdf",
                             headers={"Content-Disposition": f"attachment; filename=permits-{year}.pdf"})


def _permit_page(p, insps, styles):
    flow = [
        Paragraph(f"Permit {p['permit_number']} - {p['permit_type']}", styles["Title"]),
        Paragraph(f"Applicant: {p['applicant_name']}", styles["Normal"]),
        Paragraph(f"Site: {p['site_address']}", styles["Normal"]),
        Paragraph(f"Status: {p['status']}", styles["Normal"]),
        Spacer(1, 12),
    ]
    for insp in insps:
        flow.append(Paragraph(
            f"{insp['inspected_on']}: {insp['kind']} - {insp['result']} ({insp['inspector']})",
            styles["Normal"]))
    flow.append(PageBreak())
    return flow
