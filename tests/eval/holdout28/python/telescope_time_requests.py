"""Observatory telescope time requests – observer-facing API.

Members of the astronomical society request nights on the 0.6 m reflector,
take remote control of the CCD during their slot, and download a calibration
report for their frames afterwards.

Deployment: 3 pods behind the observatory ingress (see k8s/api-deployment.yaml).
"""
import io
import statistics
import threading
import time
from datetime import datetime, timezone

import numpy as np
from astropy.io import fits
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from .auth import current_observer
from .db import get_session
from .models import Frame, TimeRequest

app = FastAPI(title="telescope-time")

FRAME_ROOT = "/mnt/archive/frames"  # NFS share written by the camera PC
CONTROL_LEASE_SECONDS = 15 * 60

# camera_id -> {"observer": id, "expires": monotonic deadline}
_control_leases: dict[str, dict] = {}
_lease_lock = threading.Lock()


@app.post("/cameras/{camera_id}/control")
def take_control(camera_id: str, observer=Depends(current_observer), db: Session = Depends(get_session)):
    slot = db.scalar(
        select(TimeRequest).where(
            TimeRequest.observer_id == observer.id,
            TimeRequest.status == "approved",
            TimeRequest.starts_at <= datetime.now(timezone.utc),
            TimeRequest.ends_at > datetime.now(timezone.utc),
        )
    )
    if slot is None:
        raise HTTPException(403, "no approved slot right now")
    now = time.monotonic()
    with _lease_lock:
        lease = _control_leases.get(camera_id)
        if lease and lease["observer"] != observer.id and lease["expires"] > now:
            raise HTTPException(409, "camera is controlled by another observer")
        _control_leases[camera_id] = {"observer": observer.id, "expires": now + CONTROL_LEASE_SECONDS}
    return {"camera": camera_id, "lease_seconds": CONTROL_LEASE_SECONDS}


@app.delete("/cameras/{camera_id}/control", status_code=204)
def release_control(camera_id: str, observer=Depends(current_observer)):
    with _lease_lock:
        lease = _control_leases.get(camera_id)
        if lease and lease["observer"] == observer.id:
            del _control_leases[camera_id]


@app.get("/requests/{request_id}/calibration-report")
def calibration_report(request_id: int, observer=Depends(current_observer), db: Session = Depends(get_session)):
    req = db.scalar(
        select(TimeRequest).where(TimeRequest.id == request_id, TimeRequest.observer_id == observer.id)
    )
    if req is None:
        raise HTTPException(404)
    # A full night is typically 300-600 frames of 4k x 4k.
    frames = db.scalars(select(Frame).where(Frame.request_id == req.id).order_by(Frame.taken_at)).all()

    lines = ["frame,filter,exposure_s,median_adu,stddev_adu,fwhm_px"]
    for frame in frames:
        with fits.open(f"{FRAME_ROOT}/{frame.night}/{frame.filename}") as hdul:
            data = hdul[0].data.astype(np.float64)
        bias_corrected = data - np.median(data[:, :32])
        col_profile = bias_corrected.sum(axis=0)
        half_max = col_profile.max() / 2
        fwhm = int((col_profile > half_max).sum())
        lines.append(
            f"{frame.filename},{frame.filter_band},{frame.exposure_s},"
            f"{statistics.median(bias_corrected.ravel()):.1f},{bias_corrected.std():.1f},{fwhm}"
        )

    return StreamingResponse(
        io.StringIO("\n".join(lines) + "\n"),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="calibration-{request_id}.csv"'},
    )
