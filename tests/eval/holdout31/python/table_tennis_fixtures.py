# league/fixtures.py
# Village hall table-tennis league: fixture pages for the divisions and the
# nightly push of results to the county association's league system.
import logging
import os
import time

import psycopg2
import psycopg2.extras
import requests
from flask import Flask, abort, jsonify

app = Flask(__name__)
log = logging.getLogger("league")

DSN = os.environ["LEAGUE_DSN"]
COUNTY_API = "https://api.county-tta.org.uk/v2"
COUNTY_TOKEN = os.environ["COUNTY_API_TOKEN"]
MAX_ATTEMPTS = 5
RETRY_DELAY_SECONDS = 3

county = requests.Session()
county.headers.update({"Authorization": f"Bearer {COUNTY_TOKEN}"})


@app.get("/divisions/<int:division_id>/fixtures")
def division_fixtures(division_id: int):
    conn = psycopg2.connect(DSN, connect_timeout=5)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(
                """
                SELECT f.id, f.week_no, f.played_on, h.name AS home, a.name AS away,
                       f.home_sets, f.away_sets, f.venue
                FROM fixtures f
                JOIN teams h ON h.id = f.home_team_id
                JOIN teams a ON a.id = f.away_team_id
                WHERE f.division_id = %s AND f.season = current_setting('league.season')
                ORDER BY f.week_no, f.id
                LIMIT 200
                """,
                (division_id,),
            )
            rows = cur.fetchall()
    finally:
        conn.close()
    if not rows:
        abort(404)
    return jsonify(rows)


def push_result(fixture: dict) -> dict:
    """Send one played fixture to the county system; returns their match reference."""
    payload = {
        "home_club": fixture["home_club_code"],
        "away_club": fixture["away_club_code"],
        "played_on": fixture["played_on"].isoformat(),
        "sets": [fixture["home_sets"], fixture["away_sets"]],
        "rubbers": fixture["rubbers"],
    }
    last_exc = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = county.post(f"{COUNTY_API}/results", json=payload, timeout=10)
            if resp.status_code >= 500:
                raise requests.HTTPError(f"county API {resp.status_code}", response=resp)
            resp.raise_for_status()
            return resp.json()
        except requests.RequestException as exc:
            last_exc = exc
            log.warning("push of fixture %s failed (attempt %d): %s", fixture["id"], attempt, exc)
            time.sleep(RETRY_DELAY_SECONDS)
    raise RuntimeError(f"giving up on fixture {fixture['id']}") from last_exc
