# Online entries for the club's fell races.
#
# Served by `gunicorn -w 4 entries:app` on two VMs behind the load balancer,
# so anything that has to be shared between requests lives in Redis or Postgres.
import logging
import os

import redis
from flask import Flask, g, jsonify, request
from sqlalchemy import create_engine, text

from .auth import require_runner

app = Flask(__name__)
log = logging.getLogger(__name__)

engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_size=5,
    max_overflow=5,
    pool_timeout=10,
    pool_pre_ping=True,
    connect_args={"connect_timeout": 5, "options": "-c statement_timeout=5000"},
)
rds = redis.Redis.from_url(
    os.environ["REDIS_URL"], socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=30
)

ENTRY_ATTEMPTS_PER_HOUR = 10


class EntryRefused(Exception):
    pass


def over_limit(runner_id: int) -> bool:
    """Fixed one-hour window per signed-in runner, shared by every worker."""
    key = f"fell:entry-attempts:{runner_id}"
    pipe = rds.pipeline()
    pipe.incr(key)
    pipe.expire(key, 3600, nx=True)
    count, _ = pipe.execute()
    return count > ENTRY_ATTEMPTS_PER_HOUR


@app.post("/races/<int:race_id>/entries")
@require_runner
def enter_race(race_id: int):
    runner = g.runner
    if over_limit(runner.id):
        return jsonify(error="Too many attempts, try again later"), 429

    body = request.get_json(silent=True) or {}
    if not body.get("kit_declaration"):
        return jsonify(error="You must confirm you will carry full FRA kit"), 400

    try:
        with engine.begin() as conn:
            # Entry limit is enforced in the same statement that takes the place.
            race = conn.execute(
                text(
                    "UPDATE races SET entries_taken = entries_taken + 1 "
                    "WHERE id = :race AND entries_open AND entries_taken < entry_limit "
                    "RETURNING name, start_at"
                ),
                {"race": race_id},
            ).first()
            if race is None:
                raise EntryRefused("Entries are closed or the race is full")

            entry = conn.execute(
                text(
                    "INSERT INTO race_entries (race_id, runner_id, club, emergency_contact) "
                    "VALUES (:race, :runner, :club, :contact) "
                    "ON CONFLICT (race_id, runner_id) DO NOTHING RETURNING id"
                ),
                {
                    "race": race_id,
                    "runner": runner.id,
                    "club": (body.get("club") or "UA")[:80],
                    "contact": (body.get("emergency_contact") or "")[:200],
                },
            ).first()
            if entry is None:
                # Raising rolls back the place taken above.
                raise EntryRefused("You are already entered")
    except EntryRefused as refused:
        return jsonify(error=str(refused)), 409

    log.info("runner %s entered race %s", runner.id, race_id)
    return jsonify(entry_id=entry.id, race=race.name, start=race.start_at.isoformat()), 201
