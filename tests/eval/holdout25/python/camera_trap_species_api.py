"""Species summaries for the camera-trap project dashboards.

Started with: uvicorn traps.api:app --host 0.0.0.0 --workers 4
"""
import json
import uuid
from datetime import datetime, timezone

from fastapi import BackgroundTasks, Depends, FastAPI, HTTPException
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_session, SessionLocal
from .auth import current_project_member
from .detector import reclassify_detections

app = FastAPI()
redis = Redis(host="redis", port=6379, decode_responses=True, socket_timeout=2)

SUMMARY_TTL = 900
reindex_jobs: dict[str, dict] = {}


async def _species_summary(session: AsyncSession, project_id: int) -> list[dict]:
    # Scans every detection in the project (tens of millions of rows for the
    # long-running moorland project) to build the species/trap matrix.
    result = await session.execute(
        text(
            "SELECT d.species, t.name AS trap, count(*) AS detections, "
            "count(DISTINCT date_trunc('day', d.captured_at)) AS active_days, "
            "min(d.captured_at) AS first_seen, max(d.captured_at) AS last_seen "
            "FROM detections d JOIN traps t ON t.id = d.trap_id "
            "WHERE d.project_id = :pid AND d.confidence >= 0.6 "
            "GROUP BY d.species, t.name ORDER BY detections DESC LIMIT 500"
        ),
        {"pid": project_id},
    )
    return [dict(r) for r in result.mappings()]


@app.get("/projects/{project_id}/species")
async def species(project_id: int, member=Depends(current_project_member),
                  session: AsyncSession = Depends(get_session)):
    key = f"species-summary:{project_id}"
    cached = await redis.get(key)
    if cached is not None:
        return json.loads(cached)
    rows = await _species_summary(session, project_id)
    await redis.set(key, json.dumps(rows, default=str), ex=SUMMARY_TTL)
    return rows


async def _run_reindex(job_id: str, project_id: int) -> None:
    job = reindex_jobs[job_id]
    async with SessionLocal() as session:
        async for done, total in reclassify_detections(session, project_id):
            job["done"], job["total"] = done, total
    job["status"] = "finished"
    job["finished_at"] = datetime.now(timezone.utc).isoformat()
    await redis.delete(f"species-summary:{project_id}")


@app.post("/projects/{project_id}/reindex", status_code=202)
async def start_reindex(project_id: int, background: BackgroundTasks,
                        member=Depends(current_project_member)):
    if not member.is_admin:
        raise HTTPException(status_code=403)
    job_id = uuid.uuid4().hex
    reindex_jobs[job_id] = {"project_id": project_id, "status": "running",
                            "done": 0, "total": None}
    background.add_task(_run_reindex, job_id, project_id)
    return {"job_id": job_id}


@app.get("/projects/{project_id}/reindex/{job_id}")
async def reindex_status(project_id: int, job_id: str,
                         member=Depends(current_project_member)):
    job = reindex_jobs.get(job_id)
    if job is None or job["project_id"] != project_id:
        raise HTTPException(status_code=404)
    return job

