"""Beach hut seasonal lets - waiting list sign-up and checkout for offered huts.

The lets site runs on 3 pods (k8s Deployment, replicas: 3) behind the council's ingress.
"""
import os
import secrets
from datetime import datetime, timedelta, timezone

from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text

from .tasks import send_waitlist_confirmation

engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, pool_pre_ping=True)
app = Flask(__name__)

CONFIRM_TTL = timedelta(hours=48)
PAYMENT_PAGE = "https://pay.example-council.gov.uk/checkout"

# checkout token -> (hut_id, season, email) while the member is on the payment page
_open_checkouts: dict[str, tuple[int, int, str]] = {}


@app.post("/waitlist")
def join_waitlist():
    data = request.get_json(force=True)
    email = data["email"].strip().lower()
    hut_row = data["row"]  # e.g. "West Promenade", "Harbour Steps"
    token = secrets.token_urlsafe(24)
    expires_at = datetime.now(timezone.utc) + CONFIRM_TTL

    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO waitlist_confirmations (token, email, hut_row, expires_at) VALUES (:t, :e, :r, :x)"),
            {"t": token, "e": email, "r": hut_row, "x": expires_at},
        )
    send_waitlist_confirmation.delay(email, token)
    return jsonify(status="check-your-email"), 202


@app.get("/waitlist/confirm/<token>")
def confirm_waitlist(token: str):
    with engine.begin() as conn:
        row = conn.execute(
            text(
                "UPDATE waitlist_confirmations SET confirmed_at = now() "
                "WHERE token = :t AND expires_at > now() AND confirmed_at IS NULL "
                "RETURNING email, hut_row"
            ),
            {"t": token},
        ).first()
        if row is None:
            abort(410, "This link has expired or was already used.")
        conn.execute(
            text(
                "INSERT INTO waitlist (email, hut_row, joined_at) VALUES (:e, :r, now()) "
                "ON CONFLICT (email, hut_row) DO NOTHING"
            ),
            {"e": row.email, "r": row.hut_row},
        )
    return jsonify(status="on-the-list", row=row.hut_row)


@app.post("/lets/<int:offer_id>/checkout")
def start_checkout(offer_id: int):
    email = request.get_json(force=True)["email"].strip().lower()
    with engine.connect() as conn:
        offer = conn.execute(
            text("SELECT hut_id, season FROM let_offers WHERE id = :id AND offered_to = :e AND status = 'open'"),
            {"id": offer_id, "e": email},
        ).first()
    if offer is None:
        abort(404)
    token = secrets.token_urlsafe(16)
    _open_checkouts[token] = (offer.hut_id, offer.season, email)
    return jsonify(checkout_url=f"{PAYMENT_PAGE}/{token}")


@app.post("/lets/checkout/<token>/complete")
def complete_checkout(token: str):
    entry = _open_checkouts.pop(token, None)
    if entry is None:
        abort(404, "Unknown or finished checkout")
    hut_id, season, email = entry
    with engine.begin() as conn:
        res = conn.execute(
            text(
                "UPDATE let_offers SET status = 'accepted', accepted_at = now() "
                "WHERE hut_id = :h AND season = :s AND offered_to = :e AND status = 'open'"
            ),
            {"h": hut_id, "s": season, "e": email},
        )
        if res.rowcount != 1:
            abort(409, "This offer is no longer open.")
        conn.execute(
            text("INSERT INTO hut_lets (hut_id, season, holder_email) VALUES (:h, :s, :e)"),
            {"h": hut_id, "s": season, "e": email},
        )
    return jsonify(status="let-confirmed", hut_id=hut_id, season=season)
