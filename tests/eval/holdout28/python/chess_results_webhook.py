"""Webhook receiver for game results from the online board the chess club's
ladder games are played on.

The platform signs each delivery and retries until it gets a 2xx, so the same
game.finished event can arrive several times; events are recorded in
processed_events and applied at most once.
"""
import hashlib
import hmac
import logging
import os

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import text

from .db import engine
from .elo import k_factor, expected_score

log = logging.getLogger(__name__)
bp = Blueprint("chess_webhooks", __name__)

SIGNING_SECRET = os.environ["BOARD_WEBHOOK_SECRET"].encode()


def _verify(raw: bytes, signature: str | None) -> bool:
    if not signature:
        return False
    expected = hmac.new(SIGNING_SECRET, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.removeprefix("sha256="))


@bp.post("/webhooks/board/results")
def board_result_webhook():
    raw = request.get_data()
    if not _verify(raw, request.headers.get("X-Board-Signature")):
        abort(401)
    event = request.get_json()
    if event.get("type") != "game.finished":
        return jsonify({"ignored": True})

    game = event["game"]
    with engine.begin() as conn:
        fresh = conn.execute(
            text(
                "INSERT INTO processed_events (event_id, received_at) VALUES (:id, now()) "
                "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
            ),
            {"id": event["id"]},
        ).scalar()
        if fresh is None:
            log.info("duplicate delivery of %s ignored", event["id"])
            return jsonify({"duplicate": True})

        # Lock both players in id order so two results involving the same
        # player apply one after the other.
        players = conn.execute(
            text(
                "SELECT id, board_username, rating, games_played FROM players "
                "WHERE board_username = ANY(:names) ORDER BY id FOR UPDATE"
            ),
            {"names": [game["white"], game["black"]]},
        ).mappings().all()
        if len(players) != 2:
            log.warning("result %s for unknown players %s/%s", event["id"], game["white"], game["black"])
            return jsonify({"skipped": "unknown players"})
        by_name = {p["board_username"]: p for p in players}
        white, black = by_name[game["white"]], by_name[game["black"]]
        score = {"1-0": 1.0, "1/2-1/2": 0.5, "0-1": 0.0}[game["result"]]
        exp_white = expected_score(white["rating"], black["rating"])
        white_delta = round(k_factor(white["games_played"]) * (score - exp_white))
        black_delta = round(k_factor(black["games_played"]) * ((1 - score) - (1 - exp_white)))
        conn.execute(
            text(
                "UPDATE players p SET rating = p.rating + v.delta, games_played = p.games_played + 1 "
                "FROM (VALUES (:w, :dw), (:b, :db)) AS v(id, delta) WHERE p.id = v.id"
            ),
            {"w": white["id"], "dw": white_delta, "b": black["id"], "db": black_delta},
        )
        conn.execute(
            text(
                "INSERT INTO ladder_games (board_game_id, white_id, black_id, result, played_at) "
                "VALUES (:g, :w, :b, :r, :t)"
            ),
            {"g": game["id"], "w": white["id"], "b": black["id"], "r": score, "t": game["ended_at"]},
        )
    return jsonify({"applied": True, "white_delta": white_delta, "black_delta": black_delta})
