import io
import logging
import zipfile
from collections import defaultdict
from datetime import date

import requests
from flask import Blueprint, abort, jsonify, request
from sqlalchemy import select

from .auth import roles_required
from .extensions import db
from .models import FootPassenger, Sailing
from .pdf import render_manifest_pdf
from .settings import settings

bp = Blueprint("manifests", __name__, url_prefix="/routes")
log = logging.getLogger(__name__)

# The harbour authority keeps the statutory archive of foot-passenger manifests.
archive_http = requests.Session()
archive_http.headers["X-Operator-Key"] = settings.HARBOUR_ARCHIVE_KEY


def _season_bounds(year: int) -> tuple[date, date]:
    # Foot-passenger season: Easter-ish to end of October, close enough.
    return date(year, 3, 25), date(year, 11, 1)


@bp.post("/<route_code>/manifests/season-export")
@roles_required("harbour_office")
def export_season_manifests(route_code: str):
    year = request.args.get("year", type=int) or date.today().year
    start, end = _season_bounds(year)

    sailings = db.session.scalars(
        select(Sailing)
        .where(Sailing.route_code == route_code, Sailing.departs_at >= start, Sailing.departs_at < end)
        .order_by(Sailing.departs_at)
    ).all()
    if not sailings:
        abort(404, "no sailings for that route and season")

    passengers = db.session.scalars(
        select(FootPassenger)
        .where(FootPassenger.sailing_id.in_([s.id for s in sailings]))
        .order_by(FootPassenger.sailing_id, FootPassenger.surname)
    ).all()
    by_sailing = defaultdict(list)
    for p in passengers:
        by_sailing[p.sailing_id].append(p)

    # Each manifest is a signed A4 PDF (reportlab) listing name, age band and
    # emergency contact, as the harbour authority's format requires.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as bundle:
        for sailing in sailings:
            pdf_bytes = render_manifest_pdf(sailing, by_sailing[sailing.id], signer=settings.MASTER_SIGNATURE)
            bundle.writestr(f"{sailing.departs_at:%Y%m%d-%H%M}-{sailing.vessel_code}.pdf", pdf_bytes)

    resp = archive_http.post(
        f"{settings.HARBOUR_ARCHIVE_URL}/manifests/bundles",
        files={"bundle": (f"{route_code}-{year}.zip", buf.getvalue(), "application/zip")},
        data={"route": route_code, "season": str(year)},
    )
    resp.raise_for_status()

    log.info("exported %d manifests for %s %s", len(sailings), route_code, year)
    return jsonify(
        route=route_code,
        season=year,
        sailings=len(sailings),
        passengers=len(passengers),
        archive_ref=resp.json()["reference"],
    )
