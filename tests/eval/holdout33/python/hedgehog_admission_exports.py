"""Exports for the Prickles Hedgehog Hospital admin site.

The county wildlife trust asks each rescue centre for an annual return: one
admission sheet per hog (weight on arrival, injuries, release site), bundled
into a single PDF. Volunteers trigger it from the admin page.
"""
import io
import os

import psycopg2
import psycopg2.extras
from flask import Blueprint, abort, g, render_template, request, send_file
from pypdf import PdfWriter
from weasyprint import HTML

from .auth import admin_required

bp = Blueprint("exports", __name__)

DSN = os.environ["HOSPITAL_DATABASE_URL"]


def render_admission_sheet(admission: dict) -> bytes:
    """Render one admission sheet, including the intake photos, to PDF."""
    html = render_template("exports/admission_sheet.html", a=admission)
    return HTML(string=html, base_url=request.host_url).write_pdf()


def merge_pdfs(pages: list[bytes]) -> io.BytesIO:
    writer = PdfWriter()
    for page in pages:
        writer.append(io.BytesIO(page))
    out = io.BytesIO()
    writer.write(out)
    out.seek(0)
    return out


@bp.post("/exports/annual-return")
@admin_required
def annual_return():
    year = int(request.form["year"])
    if year < 2010:
        abort(400, "no records before 2010")

    conn = psycopg2.connect(DSN)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(
                """
                SELECT a.id, a.admitted_on, a.finder_postcode, a.weight_g,
                       a.injuries, a.outcome, a.released_on, a.release_site,
                       array_agg(p.url ORDER BY p.taken_at) AS photo_urls
                FROM admissions a
                LEFT JOIN admission_photos p ON p.admission_id = a.id
                WHERE a.centre_id = %s
                  AND a.admitted_on >= make_date(%s, 1, 1)
                  AND a.admitted_on <  make_date(%s + 1, 1, 1)
                GROUP BY a.id
                ORDER BY a.admitted_on
                """,
                (g.centre_id, year, year),
            )
            admissions = cur.fetchall()
    finally:
        conn.close()

    # Busy centres take in 600-900 hogs a year; each sheet embeds photos.
    pages = []
    for admission in admissions:
        pages.append(render_admission_sheet(admission))

    bundle = merge_pdfs(pages)
    return send_file(
        bundle,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"annual-return-{year}.pdf",
    )
