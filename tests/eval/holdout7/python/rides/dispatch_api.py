"""
Ride dispatch API.

Here's a production-ready FastAPI service for matching riders to nearby drivers.

Features:
- Nearest-driver matching using PostGIS (ST_DWithin + KNN ordering)
- ETA lookup through the internal routing service
- Dependency-injected SQLAlchemy sessions
"""
import os
from datetime import datetime, timezone

import requests
from fastapi import Depends, FastAPI, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session

app = FastAPI(title="Dispatch API", version="1.2.0")

ROUTING_URL = os.environ.get("ROUTING_URL", "http://routing.internal:8080")
SEARCH_RADIUS_M = 5000


class RideRequest(BaseModel):
    rider_id: int
    pickup_lat: float
    pickup_lng: float
    dropoff_lat: float
    dropoff_lng: float


class RideAssignment(BaseModel):
    ride_id: int
    driver_id: int
    eta_seconds: int


def fetch_eta(from_lat: float, from_lng: float, to_lat: float, to_lng: float) -> int:
    """Ask the routing service for the driving time in seconds."""
    resp = requests.get(
        f"{ROUTING_URL}/v1/eta",
        params={"from": f"{from_lat},{from_lng}", "to": f"{to_lat},{to_lng}"},
    )
    resp.raise_for_status()
    return int(resp.json()["duration_s"])


@app.post("/rides", response_model=RideAssignment, status_code=status.HTTP_201_CREATED)
def request_ride(body: RideRequest, db: Session = Depends(get_session)):
    # 1. Find the closest available driver within the search radius
    driver = db.execute(
        text(
            """
            SELECT id, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng
            FROM drivers
            WHERE status = 'available'
              AND ST_DWithin(location, ST_MakePoint(:lng, :lat)::geography, :radius)
            ORDER BY location <-> ST_MakePoint(:lng, :lat)::geography
            LIMIT 1
            """
        ),
        {"lat": body.pickup_lat, "lng": body.pickup_lng, "radius": SEARCH_RADIUS_M},
    ).first()

    if driver is None:
        raise HTTPException(status_code=404, detail="No drivers available nearby")

    # 2. Reserve the driver and create the ride record
    db.execute(
        text("UPDATE drivers SET status = 'dispatched', updated_at = now() WHERE id = :id"),
        {"id": driver.id},
    )
    ride_id = db.execute(
        text(
            """
            INSERT INTO rides (rider_id, driver_id, pickup, dropoff, status, requested_at)
            VALUES (:rider_id, :driver_id,
                    ST_MakePoint(:plng, :plat)::geography,
                    ST_MakePoint(:dlng, :dlat)::geography,
                    'dispatched', :now)
            RETURNING id
            """
        ),
        {
            "rider_id": body.rider_id,
            "driver_id": driver.id,
            "plat": body.pickup_lat, "plng": body.pickup_lng,
            "dlat": body.dropoff_lat, "dlng": body.dropoff_lng,
            "now": datetime.now(timezone.utc),
        },
    ).scalar_one()
    db.commit()

    # 3. Compute the pickup ETA for the rider app
    eta = fetch_eta(driver.lat, driver.lng, body.pickup_lat, body.pickup_lng)
    return RideAssignment(ride_id=ride_id, driver_id=driver.id, eta_seconds=eta)


@app.post("/rides/{ride_id}/cancel", status_code=status.HTTP_204_NO_CONTENT)
def cancel_ride(ride_id: int, db: Session = Depends(get_session)):
    # Only cancel rides that have not been picked up yet; the WHERE clause makes it atomic.
    result = db.execute(
        text(
            "UPDATE rides SET status = 'cancelled' "
            "WHERE id = :id AND status = 'dispatched' RETURNING driver_id"
        ),
        {"id": ride_id},
    )
    row = result.first()
    if row is None:
        raise HTTPException(status_code=409, detail="Ride can no longer be cancelled")
    db.execute(
        text("UPDATE drivers SET status = 'available' WHERE id = :id"),
        {"id": row.driver_id},
    )
    db.commit()
