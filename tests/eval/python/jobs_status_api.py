"""Kick off a document import and poll its progress.

Deployed with `gunicorn -w 4 -k uvicorn.workers.UvicornWorker app:app` behind the load balancer."""
import asyncio
import uuid

from fastapi import BackgroundTasks, FastAPI, HTTPException

from .importer import import_document

app = FastAPI()

jobs: dict[str, dict] = {}


async def run_import(job_id: str, url: str) -> None:
    jobs[job_id]["status"] = "running"
    try:
        pages = await import_document(url)
        jobs[job_id].update(status="done", pages=pages)
    except Exception as exc:  # noqa: BLE001
        jobs[job_id].update(status="failed", error=str(exc))


@app.post("/imports", status_code=202)
async def start_import(url: str, background: BackgroundTasks):
    job_id = uuid.uuid4().hex
    jobs[job_id] = {"status": "queued", "url": url}
    background.add_task(run_import, job_id, url)
    return {"job_id": job_id}


@app.get("/imports/{job_id}")
async def import_status(job_id: str):
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "unknown job")
    return job


@app.get("/healthz")
async def healthz():
    await asyncio.sleep(0)
    return {"ok": True}
