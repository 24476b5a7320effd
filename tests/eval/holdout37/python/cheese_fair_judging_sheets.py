# judging/routes.py -- Dales Cheese Fair: judging sheet printouts
#
# Judges score each entry on a paper sheet (appearance, body & texture,
# flavour, finish). The secretary prints them the night before the fair.
import io
import zipfile

from flask import Blueprint, abort, render_template, send_file
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from weasyprint import HTML

from .db import db
from .models import CheeseClass, Entry, Fair, JudgingSheet

bp = Blueprint("judging", __name__, url_prefix="/fairs/<int:fair_id>/judging")

# (sheet id, revision) -> rendered PDF bytes; sheets rarely change after entries close
_pdf_cache: dict[tuple[int, int], bytes] = {}


def render_sheet_pdf(sheet: JudgingSheet) -> bytes:
    key = (sheet.id, sheet.revision)
    pdf = _pdf_cache.get(key)
    if pdf is None:
        html = render_template(
            "judging/sheet.html",
            sheet=sheet,
            entry=sheet.entry,
            cheese_class=sheet.entry.cheese_class,
        )
        pdf = HTML(string=html).write_pdf()
        _pdf_cache[key] = pdf
    return pdf


@bp.get("/sheets/<int:sheet_id>.pdf")
def one_sheet(fair_id, sheet_id):
    sheet = db.session.scalars(
        select(JudgingSheet)
        .join(Entry)
        .where(JudgingSheet.id == sheet_id, Entry.fair_id == fair_id)
        .options(selectinload(JudgingSheet.entry).selectinload(Entry.cheese_class))
    ).first()
    if sheet is None:
        abort(404)
    return send_file(io.BytesIO(render_sheet_pdf(sheet)), mimetype="application/pdf")


@bp.get("/sheets.zip")
def all_sheets(fair_id):
    """Every sheet for the fair in one zip, grouped by class, for the print shop.

    The summer fair has ~700 entries over 45 classes; WeasyPrint takes
    roughly half a second per sheet.
    """
    fair = db.session.get(Fair, fair_id)
    if fair is None:
        abort(404)

    sheets = db.session.scalars(
        select(JudgingSheet)
        .join(Entry)
        .join(CheeseClass)
        .where(Entry.fair_id == fair_id)
        .order_by(CheeseClass.code, Entry.entry_number)
        .options(selectinload(JudgingSheet.entry).selectinload(Entry.cheese_class))
    ).all()

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for sheet in sheets:
            pdf = render_sheet_pdf(sheet)
            cls = sheet.entry.cheese_class
            zf.writestr(f"{cls.code}-{cls.name}/entry-{sheet.entry.entry_number:04d}.pdf", pdf)

    buf.seek(0)
    return send_file(
        buf,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{fair.slug}-judging-sheets.zip",
    )
