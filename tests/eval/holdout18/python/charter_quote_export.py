# quotes/views.py -- bus charter quotes (Flask + Flask-SQLAlchemy)
# Deployed on ECS behind API Gateway (29 s integration timeout), 2 tasks.
import io
import zipfile
from datetime import date

from flask import Blueprint, abort, render_template_string, request, send_file
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from weasyprint import HTML

from .models import Quote, db

bp = Blueprint("quotes", __name__)

QUOTE_PAGE = """
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Quote {{ q.reference }} - Highland Coaches</title>
  <script src="https://cdn.tailwindcss.com"></script>
</head>
<body class="bg-slate-50 text-slate-800">
  <main class="max-w-2xl mx-auto p-8">
    <h1 class="text-2xl font-bold">Charter quote {{ q.reference }}</h1>
    <p class="mt-2">{{ q.pickup }} &rarr; {{ q.destination }} on {{ q.travel_date }}</p>
    <table class="mt-6 w-full">
      {% for leg in q.legs %}
      <tr><td>{{ leg.origin }}</td><td>{{ leg.destination }}</td><td>{{ leg.miles }} mi</td></tr>
      {% endfor %}
    </table>
    <p class="mt-6 text-xl">Total: &pound;{{ "%.2f"|format(q.total_pence / 100) }}</p>
  </main>
</body>
</html>
"""


@bp.get("/quotes/<int:quote_id>")
@login_required
def show_quote(quote_id):
    q = Quote.query.filter_by(id=quote_id, operator_id=current_user.operator_id).first()
    if q is None:
        abort(404)
    return render_template_string(QUOTE_PAGE, q=q)


@bp.get("/quotes/export")
@login_required
def export_quotes():
    """Download every quote for a year as PDFs in a zip (accountants want this)."""
    year = int(request.args.get("year", date.today().year))
    quotes = (
        Quote.query.filter(
            Quote.operator_id == current_user.operator_id,
            db.extract("year", Quote.travel_date) == year,
        )
        .options(selectinload(Quote.legs))
        .order_by(Quote.travel_date)
        .all()
    )

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for q in quotes:
            pdf = HTML(string=render_template_string(QUOTE_PAGE, q=q)).write_pdf()
            zf.writestr(f"{q.reference}.pdf", pdf)
    buf.seek(0)
    return send_file(buf, mimetype="application/zip", as_attachment=True,
                     download_name=f"quotes-{year}.zip")
