"""Preview stacking for the Hollow Hill Observatory telescope slot portal.

After their slot, members upload raw frames; we median-stack them into a
preview PNG. Served by gunicorn (-w 4 --threads 2) behind nginx.
"""
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask, abort, jsonify, session
from PIL import Image

app = Flask(__name__)

FRAMES_ROOT = Path("/srv/observatory/frames")
PREVIEW_ROOT = Path("/srv/observatory/previews")
MAX_FRAMES = 200
JOB_RETENTION_S = 3600

_stack_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="stack")
_jobs: dict[str, dict] = {}


def _median_stack(frame_paths: list[Path]) -> Image.Image:
    frames = [Image.open(p).convert("L") for p in frame_paths]
    width, height = frames[0].size
    pixels = [list(f.getdata()) for f in frames]
    out = []
    for i in range(width * height):
        out.append(int(statistics.median(px[i] for px in pixels)))
    img = Image.new("L", (width, height))
    img.putdata(out)
    return img


def _run_job(job_id: str, slot_id: int, frame_paths: list[Path]) -> None:
    _jobs[job_id]["state"] = "running"
    try:
        img = _median_stack(frame_paths)
        dest = PREVIEW_ROOT / f"{slot_id}-{job_id}.png"
        img.save(dest)
        _jobs[job_id].update(state="done", preview=dest.name, finished_at=time.time())
    except Exception as exc:
        app.logger.exception("stack job %s failed", job_id)
        _jobs[job_id].update(state="failed", error=str(exc), finished_at=time.time())


def _prune_finished_jobs() -> None:
    cutoff = time.time() - JOB_RETENTION_S
    for job_id in [j for j, job in _jobs.items() if job.get("finished_at", time.time()) < cutoff]:
        _jobs.pop(job_id, None)


@app.post("/slots/<int:slot_id>/stack")
def start_stack(slot_id: int):
    member_id = session.get("member_id")
    if member_id is None:
        abort(401)

    frame_dir = FRAMES_ROOT / str(member_id) / str(slot_id)
    frame_paths = sorted(frame_dir.glob("*.tif"))[:MAX_FRAMES]
    if len(frame_paths) < 3:
        return jsonify(error="upload at least three frames first"), 400

    _prune_finished_jobs()
    job_id = uuid.uuid4().hex
    _jobs[job_id] = {"state": "queued", "slot_id": slot_id, "member_id": member_id}
    _stack_pool.submit(_run_job, job_id, slot_id, frame_paths)
    return jsonify(job_id=job_id, status_url=f"/jobs/{job_id}"), 202


@app.get("/jobs/<job_id>")
def job_status(job_id: str):
    job = _jobs.get(job_id)
    if job is None or job["member_id"] != session.get("member_id"):
        abort(404)
    return jsonify({k: v for k, v in job.items() if k != "member_id"})
