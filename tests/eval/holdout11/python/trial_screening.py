"""
Clinical trial pre-screening service.

Here's a clean, production-ready implementation of the two endpoints you described:

* ``POST /trials/{trial_id}/screen/{patient_id}`` — uses an LLM to check each
  inclusion/exclusion criterion against the patient's chart notes.
* ``POST /trials/{trial_id}/cohorts/{cohort_id}/enrol`` — enrols an eligible
  patient while respecting the cohort's enrolment cap.

Deployment: container on ECS behind API Gateway (29 s integration timeout).
"""
import json
import os

from fastapi import Depends, FastAPI, HTTPException
from openai import OpenAI
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session
from .security import require_coordinator

app = FastAPI(title="Trial Screening")
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

PROMPT = """You are a clinical research coordinator. Given the patient's chart notes and ONE
trial criterion, answer with JSON: {"met": true|false|null, "evidence": "<quote>"}.
Criterion: %s
Notes:
%s"""


class ScreeningResult(BaseModel):
    trial_id: int
    patient_id: int
    eligible: bool
    criteria: list[dict]


@app.post("/trials/{trial_id}/screen/{patient_id}", response_model=ScreeningResult)
def screen_patient(trial_id: int, patient_id: int, db: Session = Depends(get_session),
                   user=Depends(require_coordinator)):
    criteria = db.execute(
        text("SELECT id, kind, body FROM trial_criteria WHERE trial_id = :t ORDER BY position"),
        {"t": trial_id},
    ).mappings().all()
    notes = db.execute(
        text("SELECT note_text FROM chart_notes WHERE patient_id = :p AND site_id = :s "
             "ORDER BY written_at DESC LIMIT 200"),
        {"p": patient_id, "s": user.site_id},
    ).scalars().all()
    chart = "\n---\n".join(notes)

    results = []
    for criterion in criteria:  # typically 25-40 criteria per protocol
        completion = client.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": PROMPT % (criterion["body"], chart)}],
            response_format={"type": "json_object"},
        )
        verdict = json.loads(completion.choices[0].message.content)
        results.append({"criterion_id": criterion["id"], "kind": criterion["kind"], **verdict})

    eligible = all(
        (r["met"] is True) if r["kind"] == "inclusion" else (r["met"] is False) for r in results
    )
    db.execute(
        text("INSERT INTO screenings (trial_id, patient_id, eligible, detail) VALUES (:t, :p, :e, :d)"),
        {"t": trial_id, "p": patient_id, "e": eligible, "d": json.dumps(results)},
    )
    db.commit()
    return ScreeningResult(trial_id=trial_id, patient_id=patient_id, eligible=eligible, criteria=results)


@app.post("/trials/{trial_id}/cohorts/{cohort_id}/enrol", status_code=201)
def enrol(trial_id: int, cohort_id: int, patient_id: int, db: Session = Depends(get_session),
          user=Depends(require_coordinator)):
    cohort = db.execute(
        text("SELECT id, cap FROM cohorts WHERE id = :c AND trial_id = :t"),
        {"c": cohort_id, "t": trial_id},
    ).first()
    if cohort is None:
        raise HTTPException(404, "Cohort not found")

    enrolled = db.execute(
        text("SELECT count(*) FROM enrolments WHERE cohort_id = :c AND withdrawn_at IS NULL"),
        {"c": cohort_id},
    ).scalar_one()
    if enrolled >= cohort.cap:
        raise HTTPException(409, "Cohort is full")

    db.execute(
        text("INSERT INTO enrolments (cohort_id, patient_id, site_id, enrolled_by) VALUES (:c, :p, :s, :u)"),
        {"c": cohort_id, "p": patient_id, "s": user.site_id, "u": user.id},
    )
    db.commit()
    return {"cohort_id": cohort_id, "patient_id": patient_id, "slot": enrolled + 1}
