"""Entries for the county hedge-laying championship.

Competitors fill in the entry form on the events platform; the platform posts a
signed `submission.completed` event to us and we record the entry against the
right class (Midland, South of England, Welsh Border, Novice...).
"""
import hashlib
import hmac
import logging
import os

import requests
from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
log = logging.getLogger("entries")

engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, pool_pre_ping=True)
SIGNING_SECRET = os.environ["EVENTS_SIGNING_SECRET"].encode()
ORGANISER_CHAT_HOOK = os.environ["ORGANISER_CHAT_HOOK"]


def _verify(raw_body: bytes, signature: str | None) -> bool:
    if not signature:
        return False
    expected = hmac.new(SIGNING_SECRET, raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@app.post("/hooks/events-platform")
def entry_submitted():
    if not _verify(request.get_data(), request.headers.get("X-Events-Signature")):
        abort(401)

    event = request.get_json(force=True)
    if event.get("type") != "submission.completed":
        return "", 204

    sub = event["data"]
    answers = {a["field"]: a["value"] for a in sub["answers"]}

    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO entries (competition_id, class_code, competitor_name, email, "
                "hedge_style, hook_hand, submitted_at) "
                "VALUES (:cid, :cls, :name, :email, :style, :hand, :at)"
            ),
            {
                "cid": sub["form_ref"],
                "cls": answers["class"],
                "name": answers["full_name"],
                "email": answers["email"],
                "style": answers.get("style", "Midland"),
                "hand": answers.get("hook_hand", "right"),
                "at": sub["submitted_at"],
            },
        )
        conn.execute(
            text(
                "UPDATE competition_classes SET entry_count = entry_count + 1 "
                "WHERE competition_id = :cid AND code = :cls"
            ),
            {"cid": sub["form_ref"], "cls": answers["class"]},
        )

    # Let the stewards' channel know so they can peg out another length of hedge.
    requests.post(
        ORGANISER_CHAT_HOOK,
        json={"text": f"New {answers['class']} entry: {answers['full_name']} ({answers.get('style', 'Midland')})"},
    )
    log.info("entry recorded for %s in class %s", answers["email"], answers["class"])
    return jsonify(ok=True)


@app.get("/competitions/<int:cid>/classes")
def class_counts(cid: int):
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT code, title, entry_count, max_entries FROM competition_classes "
                "WHERE competition_id = :cid ORDER BY code"
            ),
            {"cid": cid},
        ).mappings().all()
    return jsonify([dict(r) for r in rows])
