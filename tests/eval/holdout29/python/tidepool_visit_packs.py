"""Rock-pool education visits: schools book a low-tide slot with a ranger.

Run with: gunicorn -w 4 "tidepools.app:create_app()"
"""
import os
import smtplib
from email.message import EmailMessage

import psycopg2
import psycopg2.extras
from flask import Blueprint, abort, g, jsonify, render_template, request
from weasyprint import HTML

bp = Blueprint("visits", __name__)

DSN = os.environ["TIDEPOOLS_DSN"]
SMTP_HOST = os.environ.get("SMTP_HOST", "smtp.internal")


def get_db():
    if "db" not in g:
        g.db = psycopg2.connect(DSN, connect_timeout=5, cursor_factory=psycopg2.extras.RealDictCursor)
    return g.db


@bp.teardown_app_request
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@bp.get("/seasons/<int:season_id>/visits")
def list_visits(season_id):
    cur = get_db().cursor()
    cur.execute(
        "SELECT v.id, v.visit_date, v.low_tide_at, s.name AS school, v.pupils "
        "FROM visits v JOIN schools s ON s.id = v.school_id "
        "WHERE v.season_id = %s ORDER BY v.visit_date LIMIT 200",
        (season_id,),
    )
    return jsonify(cur.fetchall())


@bp.post("/seasons/<int:season_id>/send-packs")
def send_teacher_packs(season_id):
    """Render each school's visit pack (tide table, safety sheet, species
    spotter cards) and email it to the lead teacher."""
    if not request.json or request.json.get("confirm") is not True:
        abort(400, "confirm required")

    cur = get_db().cursor()
    cur.execute(
        "SELECT v.id, v.visit_date, v.low_tide_at, v.beach, v.pupils, "
        "s.name AS school, s.lead_teacher_email "
        "FROM visits v JOIN schools s ON s.id = v.school_id "
        "WHERE v.season_id = %s AND v.pack_sent_at IS NULL",
        (season_id,),
    )
    visits = cur.fetchall()

    sent_ids = []
    with smtplib.SMTP(SMTP_HOST, 25, timeout=20) as smtp:
        for visit in visits:
            html = render_template("packs/teacher_pack.html", visit=visit)
            pdf = HTML(string=html).write_pdf()

            msg = EmailMessage()
            msg["Subject"] = f"Rock-pool visit pack: {visit['beach']} on {visit['visit_date']:%d %B}"
            msg["From"] = "visits@tidepools.example"
            msg["To"] = visit["lead_teacher_email"]
            msg.set_content("Your visit pack is attached. Please check the tide time carefully.")
            msg.add_attachment(pdf, maintype="application", subtype="pdf",
                               filename=f"visit-{visit['id']}.pdf")
            smtp.send_message(msg)
            sent_ids.append(visit["id"])

    if sent_ids:
        cur.execute("UPDATE visits SET pack_sent_at = now() WHERE id = ANY(%s)", (sent_ids,))
    get_db().commit()
    return jsonify(season_id=season_id, sent=len(sent_ids))
