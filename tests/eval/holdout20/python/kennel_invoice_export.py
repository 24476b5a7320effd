bp = Blueprint("invoices", __name__, url_prefix="/admin")

DATABASE_URL = os.environ["DATABASE_URL"]
ASSET_DIR = os.path.join(os.path.dirname(__file__), "..", "static", "invoice")

STAYS_SQL = """
    SELECT s.id, s.check_in, s.check_out, s.nightly_rate_cents, s.run_size,
           d.name AS dog_name, d.breed,
           o.full_name AS owner_name, o.email, o.address,
           COALESCE(json_agg(json_build_object('item', x.description, 'cents', x.amount_cents))
                    FILTER (WHERE x.id IS NOT NULL), '[]') AS extras
      FROM boarding_stays s
      JOIN dogs d ON d.id = s.dog_id
      JOIN owners o ON o.id = d.owner_id
      LEFT JOIN stay_extras x ON x.stay_id = s.id
     WHERE s.kennel_id = %(kennel_id)s
       AND s.check_out >= %(start)s AND s.check_out < %(end)s
     GROUP BY s.id, d.id, o.id
     ORDER BY s.check_out
"""


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def _invoice_total(stay) -> int:
    nights = max(1, (stay["check_out"] - stay["check_in"]).days)
    extras = sum(item["cents"] for item in stay["extras"])
    return nights * stay["nightly_rate_cents"] + extras


@bp.post("/kennels/<int:kennel_id>/invoices/<int:year>/<int:month>")
@staff_required
def month_end_invoices(kennel_id: int, year: int, month: int):
    """Builds every boarding invoice for the month and returns them as a zip
    for the office to email out (a summer month is 300-400 stays)."""
    if kennel_id != g.staff.kennel_id:
        abort(403)
    start, end = _month_bounds(year, month)

    conn = psycopg2.connect(DATABASE_URL, connect_timeout=5)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(STAYS_SQL, {"kennel_id": kennel_id, "start": start, "end": end})
            stays = cur.fetchall()
    finally:
        conn.close()

    if not stays:
        abort(404, "No completed stays in that month")

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for stay in stays:
            html = render_template(
                "invoices/boarding.html",
                stay=stay,
                kennel=g.staff.kennel,
                total_cents=_invoice_total(stay),
                issued_on=date.today(),
            )
            # Logo, fonts and the terms page come from the local static folder.
            pdf = HTML(string=html, base_url=ASSET_DIR).write_pdf()
            zf.writestr(f"{stay['check_out']:%Y%m%d}-{stay['id']}-{stay['dog_name']}.pdf", pdf)

    buf.seek(0)
    return send_file(
        buf,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"invoices-{kennel_id}-{year}-{month:02d}.zip",
    )
