"""Print queue service for the Forge Lane makerspace.

Members upload an STL, we slice it with the house profile for the chosen
printer, and the job shows up on the queue board by the printers.

Run with: gunicorn -w 4 -b 0.0.0.0:8080 print_queue:app  (behind the nginx on the pi-rack)
"""
import os
import subprocess
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path

from flask import Flask, abort, jsonify, request
from flask_login import current_user, login_required

from .storage import save_gcode_metadata, upload_dir

app = Flask(__name__)

SLICER_BIN = os.environ.get("SLICER_BIN", "/opt/prusaslicer/prusa-slicer")
PROFILES = {
    "mk4-a": "/etc/printq/profiles/mk4_pla_0.2.ini",
    "mk4-b": "/etc/printq/profiles/mk4_pla_0.2.ini",
    "voron": "/etc/printq/profiles/voron_petg_0.25.ini",
}

# printer id -> what is currently printing on it
active_prints: dict[str, dict] = {}
_active_lock = threading.Lock()


@app.post("/jobs")
@login_required
def submit_job():
    printer = request.form.get("printer")
    if printer not in PROFILES:
        abort(400, "unknown printer")
    upload = request.files.get("model")
    if upload is None or not upload.filename.lower().endswith(".stl"):
        abort(400, "please upload an .stl file")

    job_id = uuid.uuid4().hex
    workdir = Path(upload_dir()) / job_id
    workdir.mkdir(parents=True)
    stl_path = workdir / "model.stl"
    upload.save(stl_path)
    gcode_path = workdir / "model.gcode"

    # Slice with the house profile so supports/brims are consistent.
    subprocess.run(
        [SLICER_BIN, "--export-gcode", "--load", PROFILES[printer],
         "--output", str(gcode_path), str(stl_path)],
        check=True,
        capture_output=True,
        timeout=1800,
    )

    meta = save_gcode_metadata(
        job_id=job_id,
        member_id=current_user.id,
        printer=printer,
        gcode_path=str(gcode_path),
    )
    return jsonify({"job_id": job_id, "estimated_minutes": meta.estimated_minutes}), 201


@app.post("/printers/<printer>/start")
@login_required
def start_print(printer):
    job_id = request.json.get("job_id")
    with _active_lock:
        if printer in active_prints:
            return jsonify({"error": "printer busy", "current": active_prints[printer]}), 409
        active_prints[printer] = {
            "job_id": job_id,
            "member_id": current_user.id,
            "started_at": datetime.now(timezone.utc).isoformat(),
        }
    return jsonify({"ok": True})


@app.post("/printers/<printer>/finish")
@login_required
def finish_print(printer):
    with _active_lock:
        job = active_prints.pop(printer, None)
    if job is None:
        abort(404, "nothing printing on that printer")
    return jsonify({"finished": job})


@app.get("/printers")
def printer_board():
    with _active_lock:
        snapshot = dict(active_prints)
    return jsonify({p: snapshot.get(p) for p in PROFILES})
