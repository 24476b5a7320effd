"""Plot allocation endpoints for the Eastfield & District allotment societies portal.

Committee members use these to hand a vacant plot to someone on the waiting
list. Offer emails go out through the shared mailer service.
"""
import logging
from datetime import date

import requests
from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import text

from portal.auth import committee_required
from portal.db import engine

bp = Blueprint("plots", __name__, url_prefix="/api/plots")
log = logging.getLogger(__name__)

MAILER_URL = "https://mailer.internal.eastfield-allotments.org/v1/messages"
PAGE_SIZE = 50


@bp.get("/vacant")
@committee_required
def list_vacant_plots():
    after_id = request.args.get("after", type=int, default=0)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, code, size_m2, has_water FROM plots "
                "WHERE society_id = :sid AND status = 'vacant' AND id > :after "
                "ORDER BY id LIMIT :limit"
            ),
            {"sid": g.society_id, "after": after_id, "limit": PAGE_SIZE},
        ).mappings().all()
    next_after = rows[-1]["id"] if rows else None
    return jsonify(plots=[dict(r) for r in rows], next_after=next_after)


def _send_offer_email(email: str, plot_code: str, start: date) -> None:
    body = {
        "to": email,
        "template": "plot-offer",
        "vars": {"plot": plot_code, "start": start.isoformat()},
    }
    resp = requests.post(MAILER_URL, json=body, headers={"X-Service": "plots"})
    resp.raise_for_status()


@bp.post("/<int:plot_id>/assign")
@committee_required
def assign_plot(plot_id: int):
    data = request.get_json(force=True)
    applicant_id = int(data["applicant_id"])
    start = date.fromisoformat(data.get("start") or date.today().isoformat())
    params = {"pid": plot_id, "aid": applicant_id, "sid": g.society_id, "start": start}

    with engine.begin() as conn:
        plot = conn.execute(text("SELECT status, code FROM plots WHERE id = :pid AND society_id = :sid"), params).first()
        if plot is None:
            abort(404)
        if plot.status != "vacant":
            return jsonify(error="plot is not vacant"), 409

        applicant = conn.execute(
            text(
                "SELECT email FROM waiting_list "
                "WHERE id = :aid AND society_id = :sid AND status = 'waiting'"
            ),
            params,
        ).first()
        if applicant is None:
            return jsonify(error="applicant is not on the waiting list"), 404

        # Hand over the plot and move the applicant off the list in one transaction.
        conn.execute(
            text(
                "UPDATE plots SET status = 'let', tenant_id = :aid, let_from = :start "
                "WHERE id = :pid AND society_id = :sid"
            ),
            params,
        )
        conn.execute(
            text(
                "UPDATE waiting_list SET status = 'offered', offered_plot_id = :pid "
                "WHERE id = :aid AND society_id = :sid"
            ),
            params,
        )

    email_sent = True
    try:
        _send_offer_email(applicant.email, plot.code, start)
    except requests.RequestException:
        log.exception("offer email for plot %s could not be sent", plot.code)
        email_sent = False

    return jsonify(plot=plot.code, applicant_id=applicant_id, email_sent=email_sent), 201
