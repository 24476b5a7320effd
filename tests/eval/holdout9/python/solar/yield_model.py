"""Annual yield estimator used by the quoting service (long-running FastAPI app).

Sales reps submit a roof (lat/lon, tilt, azimuth, panel count) and we simulate
8760 hourly steps per roof face in pure Python.
"""
import math
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class RoofFace(BaseModel):
    tilt_deg: float
    azimuth_deg: float
    panels: int


class QuoteRequest(BaseModel):
    lat: float
    lon: float
    faces: list[RoofFace]


@lru_cache(maxsize=None)
def clear_sky_table(lat: float, lon: float) -> tuple:
    """Hourly clear-sky irradiance for a location (W/m2)."""
    out = []
    for hour in range(8760):
        day = hour // 24
        decl = 23.45 * math.sin(math.radians(360 / 365 * (284 + day)))
        ha = 15 * ((hour % 24) - 12) + lon / 15
        elev = math.degrees(
            math.asin(
                math.sin(math.radians(lat)) * math.sin(math.radians(decl))
                + math.cos(math.radians(lat)) * math.cos(math.radians(decl)) * math.cos(math.radians(ha))
            )
        )
        out.append(max(0.0, 1000 * math.sin(math.radians(elev))))
    return tuple(out)


def simulate_face(lat: float, lon: float, face: RoofFace) -> float:
    table = clear_sky_table(lat, lon)
    kwh = 0.0
    for hour, ghi in enumerate(table):
        if ghi <= 0:
            continue
        incidence = math.cos(math.radians(face.tilt_deg)) + 0.3 * math.cos(
            math.radians(face.azimuth_deg - 180 + (hour % 24 - 12) * 15)
        )
        kwh += max(0.0, ghi * incidence) * 0.4 * face.panels / 1000 * 0.86
    return kwh


@app.post("/estimate")
def estimate(req: QuoteRequest):
    with ThreadPoolExecutor(max_workers=len(req.faces) or 1) as pool:
        per_face = list(pool.map(lambda f: simulate_face(req.lat, req.lon, f), req.faces))
    return {"annual_kwh": round(sum(per_face)), "faces": [round(x) for x in per_face]}
