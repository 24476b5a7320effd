"""Pub quiz league - phone answer sheet.

Teams at the table submit answers from a phone instead of the paper sheet.
The app runs on 3 pods (`replicas: 3`), so login sessions and the per-team
submission limit both live in Redis rather than in the worker's memory.
"""
import os
import time

import redis
from flask import Flask, abort, jsonify, request, session
from flask_session import Session
from sqlalchemy import text

from .db import engine

app = Flask(__name__)

redis_client = redis.Redis.from_url(
    os.environ["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2
)

app.config.update(
    SECRET_KEY=os.environ["FLASK_SECRET_KEY"],
    SESSION_TYPE="redis",
    SESSION_REDIS=redis_client,
    SESSION_PERMANENT=False,
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_HTTPONLY=True,
)
Session(app)

SUBMITS_PER_MINUTE = 30


def over_limit(team_id: int) -> bool:
    """Fixed one-minute window per team, shared by all pods via INCR."""
    window = int(time.time() // 60)
    key = f"quiz:submit:{team_id}:{window}"
    pipe = redis_client.pipeline()
    pipe.incr(key)
    pipe.expire(key, 120)
    count, _ = pipe.execute()
    return count > SUBMITS_PER_MINUTE


@app.post("/nights/<int:night_id>/answers")
def submit_answer(night_id: int):
    team_id = session.get("team_id")
    if team_id is None:
        abort(401)
    if over_limit(team_id):
        return jsonify(error="Slow down - the quizmaster can only mark so fast"), 429

    body = request.get_json(force=True)
    round_no = int(body["round"])
    question_no = int(body["question"])
    answer = str(body["answer"]).strip()[:200]

    with engine.begin() as conn:
        result = conn.execute(
            text(
                "INSERT INTO team_answers (quiz_night_id, team_id, round_no, question_no, answer) "
                "SELECT :night, :team, :round, :q, :answer "
                "WHERE EXISTS (SELECT 1 FROM quiz_rounds WHERE quiz_night_id = :night "
                "              AND round_no = :round AND status = 'open') "
                "ON CONFLICT (quiz_night_id, team_id, round_no, question_no) "
                "DO UPDATE SET answer = EXCLUDED.answer, updated_at = now()"
            ),
            {"night": night_id, "team": team_id, "round": round_no, "q": question_no, "answer": answer},
        )
        if result.rowcount == 0:
            return jsonify(error="That round is closed"), 409

    return jsonify(ok=True), 201


@app.post("/login")
def login():
    body = request.get_json(force=True)
    with engine.connect() as conn:
        team = conn.execute(
            text("SELECT id FROM teams WHERE join_code = :code AND active"),
            {"code": body["join_code"].strip().upper()},
        ).first()
    if team is None:
        return jsonify(error="Unknown team code"), 404
    session["team_id"] = team.id
    return jsonify(team_id=team.id)
