"""BSL interpreter request matching.

A GP surgery or hospital department files a request for a British Sign Language
interpreter; we ask the agency roster service who is qualified and free, score
the candidates, and the requester picks one.

Run: gunicorn app.main:app -k uvicorn.workers.UvicornWorker -w 4
"""
import uuid
from datetime import datetime

import aiohttp
from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException
from pydantic import BaseModel, Field

from app.auth import requester_org
from app.settings import settings

router = APIRouter(prefix="/interpreter-requests")

ROSTER_TIMEOUT = aiohttp.ClientTimeout(total=8, connect=2)

# job id -> {"status": ..., "candidates": [...]}
match_jobs: dict[str, dict] = {}


class InterpreterRequest(BaseModel):
    starts_at: datetime
    duration_minutes: int = Field(ge=30, le=480)
    setting: str = Field(pattern="^(medical|legal|education|employment|social)$")
    postcode: str = Field(max_length=8)
    deafblind: bool = False


async def _roster_candidates(req: InterpreterRequest) -> list[dict]:
    async with aiohttp.ClientSession(base_url=settings.roster_url, timeout=ROSTER_TIMEOUT) as session:
        async with session.get(
            "/v1/available",
            params={
                "start": req.starts_at.isoformat(),
                "minutes": req.duration_minutes,
                "setting": req.setting,
                "near": req.postcode,
            },
            headers={"X-Api-Key": settings.roster_api_key},
        ) as resp:
            resp.raise_for_status()
            return (await resp.json())["interpreters"]


def _score(candidate: dict, req: InterpreterRequest) -> float:
    score = 100.0 - candidate.get("travel_minutes", 60) * 0.5
    if req.setting in candidate.get("specialisms", []):
        score += 25
    if req.deafblind and candidate.get("deafblind_trained"):
        score += 40
    return score


async def _run_match(job_id: str, req: InterpreterRequest) -> None:
    try:
        candidates = await _roster_candidates(req)
    except aiohttp.ClientError as exc:
        match_jobs[job_id].update(status="failed", error=str(exc))
        raise
    ranked = sorted(candidates, key=lambda c: _score(c, req), reverse=True)[:10]
    match_jobs[job_id].update(status="done", candidates=ranked)


@router.post("/match", status_code=202)
async def start_match(
    req: InterpreterRequest,
    background: BackgroundTasks,
    org=Depends(requester_org),
):
    job_id = uuid.uuid4().hex
    match_jobs[job_id] = {"status": "running", "org_id": org.id}
    background.add_task(_run_match, job_id, req)
    return {"job_id": job_id, "poll": f"/interpreter-requests/match/{job_id}"}


@router.get("/match/{job_id}")
async def match_status(job_id: str, org=Depends(requester_org)):
    job = match_jobs.get(job_id)
    if job is None or job["org_id"] != org.id:
        raise HTTPException(status_code=404, detail="unknown job")
    return job
