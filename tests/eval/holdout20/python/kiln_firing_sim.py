"""Kiln firing simulator for the shared pottery studio.

Members upload a firing schedule (ramp segments) and we simulate the heat
soak through the kiln wall and a typical load, to warn about cracking
(too-fast quartz inversion) before they book the kiln.

Served with `uvicorn studio.api:app --workers 4`.
"""
import uuid
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

router = APIRouter(prefix="/kiln", tags=["firing"])

_executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="firing-sim")
_jobs: dict[str, dict] = {}

QUARTZ_INVERSION_C = 573.0
MAX_SAFE_RATE_NEAR_INVERSION = 100.0  # degC per hour within +-25 degC


class Segment(BaseModel):
    rate_c_per_h: float = Field(gt=0, le=600)
    target_c: float = Field(ge=20, le=1320)
    hold_min: int = Field(ge=0, le=240)


class FiringPlan(BaseModel):
    kiln_id: int
    segments: list[Segment] = Field(min_length=1, max_length=12)
    ware_thickness_mm: float = Field(gt=0, le=40)


def _simulate(plan: FiringPlan) -> dict:
    """Explicit finite-difference heat equation through the ware, 1 s steps."""
    nodes = max(8, int(plan.ware_thickness_mm * 4))
    dx = plan.ware_thickness_mm / 1000 / nodes
    alpha = 5.5e-7  # stoneware thermal diffusivity, m^2/s
    dt = 1.0
    temps = [20.0] * (nodes + 1)
    surface = 20.0
    warnings, max_gradient, t = [], 0.0, 0
    for seg in plan.segments:
        step = seg.rate_c_per_h / 3600.0 * (1 if seg.target_c >= surface else -1)
        hold_left = seg.hold_min * 60
        while abs(surface - seg.target_c) > 0.01 or hold_left > 0:
            if abs(surface - seg.target_c) > 0.01:
                surface = min(surface + step, seg.target_c) if step > 0 else max(surface + step, seg.target_c)
            else:
                hold_left -= 1
            new = temps[:]
            new[0] = new[-1] = surface
            for i in range(1, nodes):
                new[i] = temps[i] + alpha * dt / dx**2 * (temps[i + 1] - 2 * temps[i] + temps[i - 1])
            temps = new
            gradient = surface - temps[nodes // 2]
            max_gradient = max(max_gradient, abs(gradient))
            if abs(temps[nodes // 2] - QUARTZ_INVERSION_C) < 25 and seg.rate_c_per_h > MAX_SAFE_RATE_NEAR_INVERSION:
                warnings.append({"t_s": t, "core_c": round(temps[nodes // 2], 1)})
            t += 1
    return {"duration_h": round(t / 3600, 2), "max_gradient_c": round(max_gradient, 1), "warnings": warnings[:20]}


def _run(job_id: str, plan: FiringPlan) -> None:
    try:
        _jobs[job_id] = {"status": "done", "result": _simulate(plan)}
    except Exception as exc:  # reported back to the member on the status endpoint
        _jobs[job_id] = {"status": "failed", "error": str(exc)}
        raise


@router.post("/simulations", status_code=202)
def start_simulation(plan: FiringPlan):
    job_id = uuid.uuid4().hex
    _jobs[job_id] = {"status": "running"}
    _executor.submit(_run, job_id, plan)
    return {"job_id": job_id, "status_url": f"/kiln/simulations/{job_id}"}


@router.get("/simulations/{job_id}")
def simulation_status(job_id: str):
    job = _jobs.get(job_id)
    if job is None:
        raise HTTPException(status_code=404, detail="Unknown simulation")
    return job
