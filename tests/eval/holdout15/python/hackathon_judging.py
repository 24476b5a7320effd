"""Judging API for HackFest.

Judges score projects from their phones during the demo block; organizers
hit "generate feedback" after judging closes so every team gets a written
summary in their inbox.

Deployed on Fly.io, 2 machines, uvicorn --workers 2. Fly's proxy closes idle
requests after 60 s.
"""
import os

from fastapi import Depends, FastAPI, HTTPException
from openai import OpenAI
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from hackfest.db import get_db
from hackfest.auth import require_judge, require_organizer
from hackfest.models import Event, Project, Score, Submission

app = FastAPI()
llm = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

CRITERIA = ("innovation", "execution", "design", "impact")


class ScoreIn(BaseModel):
    innovation: int = Field(ge=1, le=10)
    execution: int = Field(ge=1, le=10)
    design: int = Field(ge=1, le=10)
    impact: int = Field(ge=1, le=10)
    note: str | None = None


@app.post("/projects/{project_id}/scores", status_code=201)
def submit_score(project_id: int, body: ScoreIn, judge=Depends(require_judge), db: Session = Depends(get_db)):
    project = db.get(Project, project_id)
    if project is None:
        raise HTTPException(404)
    total = sum(getattr(body, c) for c in CRITERIA)
    db.add(Score(project_id=project_id, judge_id=judge.id, total=total, note=body.note,
                 **{c: getattr(body, c) for c in CRITERIA}))
    try:
        db.flush()  # uq_scores_project_judge
    except IntegrityError:
        db.rollback()
        raise HTTPException(409, "you already scored this project")
    # keep running aggregates on the project so the leaderboard is a cheap ORDER BY
    project.score_sum = project.score_sum + total
    project.score_count = project.score_count + 1
    project.avg_score = project.score_sum / project.score_count
    db.commit()
    return {"project_id": project_id, "avg": project.avg_score}


@app.get("/events/{event_id}/leaderboard")
def leaderboard(event_id: int, db: Session = Depends(get_db)):
    rows = db.scalars(
        select(Project).where(Project.event_id == event_id, Project.score_count > 0)
        .order_by(Project.avg_score.desc()).limit(25)
    ).all()
    return [{"team": p.team_name, "avg": round(p.avg_score, 2), "judges": p.score_count} for p in rows]


@app.post("/events/{event_id}/feedback")
def generate_feedback(event_id: int, org=Depends(require_organizer), db: Session = Depends(get_db)):
    event = db.get(Event, event_id)
    if event is None or event.judging_open:
        raise HTTPException(409, "close judging first")

    submissions = db.scalars(
        select(Submission).where(Submission.event_id == event_id)
        .options(selectinload(Submission.scores))
    ).all()
    done = 0
    for sub in submissions:
        notes = "\n".join(f"- {s.note}" for s in sub.scores if s.note)
        completion = llm.chat.completions.create(
            model="gpt-4o-mini",
            messages=[
                {"role": "system", "content": "You write kind, specific hackathon feedback in 150 words."},
                {"role": "user", "content": f"Project: {sub.title}\n{sub.description}\nJudge notes:\n{notes}"},
            ],
        )
        sub.feedback = completion.choices[0].message.content
        done += 1
    db.commit()
    return {"event_id": event_id, "feedback_written": done}
