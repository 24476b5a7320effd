# blueprint: fossil walks – end-of-season certificates
# (excerpt from walks/views.py; models and mail setup live elsewhere)

import logging

import requests
from flask import Blueprint, current_app, jsonify, render_template
from flask_login import current_user, login_required
from flask_mail import Message

from .extensions import mail
from .models import Participant, Season
from .pdf import render_pdf

bp = Blueprint("walk_admin", __name__, url_prefix="/admin/walks")
log = logging.getLogger(__name__)

FINDS_API = "https://finds.jurassic-coast-walks.org/api/finds"


def _finds_summary(payload: list[dict]) -> dict:
    """Group a walker's logged finds by type for the certificate."""
    summary: dict[str, int] = {}
    for item in payload:
        summary[item["category"]] = summary.get(item["category"], 0) + 1
    return dict(sorted(summary.items(), key=lambda kv: -kv[1]))


@bp.post("/seasons/<int:season_id>/certificates")
@login_required
def send_certificates(season_id: int):
    """Email every walker of the season a PDF certificate with their finds."""
    if not current_user.is_walk_leader:
        return jsonify({"error": "walk leaders only"}), 403

    season = Season.query.get_or_404(season_id)
    participants = (
        Participant.query.filter_by(season_id=season.id, opted_out=False)
        .order_by(Participant.surname)
        .yield_per(500)
    )

    sent = 0
    for participant in participants:
        resp = requests.get(
            FINDS_API,
            params={"walker": participant.walker_ref, "season": season.code},
            timeout=8,
        )
        resp.raise_for_status()
        finds = _finds_summary(resp.json()["finds"])

        html = render_template(
            "certificates/season.html",
            participant=participant,
            season=season,
            finds=finds,
            best_find=max(finds, key=finds.get) if finds else None,
        )
        pdf_bytes = render_pdf(html)  # WeasyPrint, ~1 s per page

        msg = Message(
            subject=f"Your {season.name} fossil walks certificate",
            recipients=[participant.email],
            body="Thanks for walking with us this season - your certificate is attached.",
        )
        msg.attach(f"certificate-{participant.walker_ref}.pdf", "application/pdf", pdf_bytes)
        mail.send(msg)
        sent += 1

    log.info("sent %d certificates for season %s", sent, season.code)
    current_app.logger.info("certificates done by %s", current_user.email)
    return jsonify({"season": season.code, "sent": sent})
