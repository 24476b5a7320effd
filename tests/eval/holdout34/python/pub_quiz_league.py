"""Village pub quiz league - scores API.

FastAPI app, runs as 3 pods on the league's small k8s cluster. Quizmasters
open a round from their phone, teams' scores are entered per round, and the
league table is shown on every pub's TV between rounds.
"""
import json
import os

import redis
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, conint
from sqlalchemy import text
from sqlalchemy.orm import Session

from .deps import get_session, require_quizmaster

router = APIRouter(prefix="/league")
r = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2, decode_responses=True)

TABLE_TTL = 120

# quiz_night_id -> {"round": int, "open": bool}
_open_rounds: dict[int, dict] = {}


class RoundScore(BaseModel):
    team_id: int
    points: conint(ge=0, le=20)


LEAGUE_TABLE_SQL = text(
    """
    SELECT t.id, t.name, p.name AS pub,
           SUM(s.points) AS points,
           COUNT(DISTINCT s.quiz_night_id) AS nights,
           RANK() OVER (ORDER BY SUM(s.points) DESC) AS position
    FROM round_scores s
    JOIN teams t ON t.id = s.team_id
    JOIN pubs p ON p.id = t.home_pub_id
    JOIN quiz_nights n ON n.id = s.quiz_night_id
    WHERE n.season_id = :season
    GROUP BY t.id, t.name, p.name
    ORDER BY points DESC
    LIMIT 60
    """
)


@router.get("/seasons/{season_id}/table")
def league_table(season_id: int, session: Session = Depends(get_session)):
    key = f"quiz:league-table:{season_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)

    rows = session.execute(LEAGUE_TABLE_SQL, {"season": season_id}).mappings().all()
    table = [dict(row) for row in rows]
    r.set(key, json.dumps(table, default=str), ex=TABLE_TTL)
    return table


@router.post("/nights/{night_id}/rounds/{round_no}/open")
def open_round(night_id: int, round_no: int, qm=Depends(require_quizmaster)):
    _open_rounds[night_id] = {"round": round_no, "open": True, "by": qm.id}
    return {"night": night_id, "round": round_no, "open": True}


@router.post("/nights/{night_id}/rounds/{round_no}/close")
def close_round(night_id: int, round_no: int, qm=Depends(require_quizmaster)):
    state = _open_rounds.get(night_id)
    if not state or state["round"] != round_no:
        raise HTTPException(409, "That round isn't open")
    state["open"] = False
    return {"night": night_id, "round": round_no, "open": False}


@router.post("/nights/{night_id}/rounds/{round_no}/scores", status_code=201)
def enter_score(
    night_id: int,
    round_no: int,
    body: RoundScore,
    qm=Depends(require_quizmaster),
    session: Session = Depends(get_session),
):
    state = _open_rounds.get(night_id)
    if not state or state["round"] != round_no or not state["open"]:
        raise HTTPException(409, "Open the round before entering scores")

    session.execute(
        text(
            "INSERT INTO round_scores (quiz_night_id, round_no, team_id, points) "
            "VALUES (:night, :round, :team, :points) "
            "ON CONFLICT (quiz_night_id, round_no, team_id) DO UPDATE SET points = EXCLUDED.points"
        ),
        {"night": night_id, "round": round_no, "team": body.team_id, "points": body.points},
    )
    session.commit()
    return {"ok": True}
