# dispatch/api.py -- operator console backend for the drone delivery pilot
#
# Deployment: `uvicorn dispatch.api:app --workers 4` on two VMs behind the ALB
# (ALB idle timeout 30s). Fleet controller API is internal.
import os
import time
import uuid

import httpx
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, confloat, conint

from dispatch.auth import require_operator

app = FastAPI(title="dispatch")

FLEET_URL = os.environ["FLEET_URL"]
fleet = httpx.Client(base_url=FLEET_URL, timeout=httpx.Timeout(10.0, connect=3.0))

# mission_id -> {"drone": ..., "order_id": ..., "status": ..., "operator": ...}
missions: dict[str, dict] = {}


class MissionIn(BaseModel):
    order_id: str
    pickup_lat: confloat(ge=-90, le=90)
    pickup_lng: confloat(ge=-180, le=180)
    drop_lat: confloat(ge=-90, le=90)
    drop_lng: confloat(ge=-180, le=180)
    payload_g: conint(gt=0, le=2500)


@app.post("/missions", status_code=201)
def create_mission(req: MissionIn, op=Depends(require_operator)):
    r = fleet.post("/drones/reserve", json={
        "near": [req.pickup_lat, req.pickup_lng],
        "payload_g": req.payload_g,
    })
    if r.status_code == 409:
        raise HTTPException(409, "no drone available near pickup")
    r.raise_for_status()
    drone_id = r.json()["drone_id"]
    mission_id = uuid.uuid4().hex
    missions[mission_id] = {
        "drone": drone_id,
        "order_id": req.order_id,
        "route": [[req.pickup_lat, req.pickup_lng], [req.drop_lat, req.drop_lng]],
        "status": "reserved",
        "operator": op.id,
    }
    return {"mission_id": mission_id, "drone": drone_id}


@app.post("/missions/{mission_id}/launch")
def launch(mission_id: str, op=Depends(require_operator)):
    m = missions.get(mission_id)
    if m is None:
        raise HTTPException(404, "unknown mission")
    if m["status"] != "reserved":
        raise HTTPException(409, f"mission is {m['status']}")

    fleet.post(f"/drones/{m['drone']}/launch", json={"route": m["route"]}).raise_for_status()
    m["status"] = "in_flight"

    # block until the drone reports delivery so the console shows the final state
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        t = fleet.get(f"/drones/{m['drone']}/telemetry").json()
        if t["state"] in ("delivered", "aborted", "returned"):
            m["status"] = t["state"]
            return {"mission_id": mission_id, "status": t["state"], "battery": t.get("battery_pct")}
        time.sleep(3)
    raise HTTPException(504, "drone did not confirm delivery in time")


@app.get("/missions/{mission_id}")
def mission_status(mission_id: str, op=Depends(require_operator)):
    m = missions.get(mission_id)
    if m is None:
        raise HTTPException(404, "unknown mission")
    return {"mission_id": mission_id, **m}
