import secrets
import smtplib
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import text

from hallhire.auth import clerk_required
from hallhire.db import db
from hallhire.invoices import render_invoice_pdf
from hallhire.pricing import quote_price

bp = Blueprint("hire", __name__)

QUOTE_VALID_FOR = timedelta(days=14)


@bp.post("/quotes")
def create_quote():
    """Prospective hirers get a price that is held for 14 days."""
    body = request.get_json(force=True)
    room = body["room"]
    starts_at = datetime.fromisoformat(body["starts_at"])
    hours = max(1, min(int(body["hours"]), 12))
    pence = quote_price(room, starts_at, hours, body.get("purpose", "private"))
    token = secrets.token_urlsafe(16)

    db.session.execute(
        text("INSERT INTO hire_quotes (token, room, starts_at, hours, price_pence, email, expires_at) "
             "VALUES (:token, :room, :starts_at, :hours, :pence, :email, :expires_at)"),
        {
            "token": token,
            "room": room,
            "starts_at": starts_at,
            "hours": hours,
            "pence": pence,
            "email": body["email"][:254],
            "expires_at": datetime.now(timezone.utc) + QUOTE_VALID_FOR,
        },
    )
    db.session.commit()
    return jsonify(token=token, price_pence=pence, valid_days=QUOTE_VALID_FOR.days), 201


@bp.get("/quotes/<token>")
def get_quote(token: str):
    row = db.session.execute(
        text("SELECT room, starts_at, hours, price_pence FROM hire_quotes "
             "WHERE token = :token AND expires_at > now()"),
        {"token": token},
    ).mappings().first()
    if row is None:
        abort(404)
    return jsonify(dict(row))


@bp.post("/admin/invoices/quarter")
@clerk_required
def send_quarter_invoices():
    """The hall clerk presses this at the end of each quarter."""
    quarter_start = datetime.fromisoformat(request.json["quarter_start"])
    quarter_end = quarter_start + timedelta(days=92)

    hires = db.session.execute(
        text("SELECT h.id, h.room, h.starts_at, h.hours, h.total_pence, c.name, c.email "
             "FROM hires h JOIN hirers c ON c.id = h.hirer_id "
             "WHERE h.starts_at >= :start AND h.starts_at < :end AND h.invoiced_at IS NULL"),
        {"start": quarter_start, "end": quarter_end},
    ).mappings().all()

    sent = 0
    with smtplib.SMTP(current_app.config["SMTP_HOST"], 587, timeout=15) as smtp:
        smtp.starttls()
        smtp.login(current_app.config["SMTP_USER"], current_app.config["SMTP_PASSWORD"])
        for hire in hires:
            pdf = render_invoice_pdf(hire)
            msg = EmailMessage()
            msg["Subject"] = f"St Mary's Parish Hall - invoice {hire['id']}"
            msg["From"] = current_app.config["HALL_EMAIL"]
            msg["To"] = hire["email"]
            msg.set_content(f"Dear {hire['name']},\n\nPlease find your invoice attached.\n")
            msg.add_attachment(pdf, maintype="application", subtype="pdf",
                               filename=f"invoice-{hire['id']}.pdf")
            smtp.send_message(msg)
            sent += 1

    db.session.execute(
        text("UPDATE hires SET invoiced_at = now() "
             "WHERE starts_at >= :start AND starts_at < :end AND invoiced_at IS NULL"),
        {"start": quarter_start, "end": quarter_end},
    )
    db.session.commit()
    return jsonify(sent=sent)
