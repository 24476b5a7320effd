"""Public form: "Book a free collection" for the hospice charity shops.

People donating furniture or a house clearance ask for a van pickup. The form is
public (no login), so requests are throttled per client in Redis, and the
address is geocoded to route it to the nearest shop's van.
"""
import os
from datetime import date

import redis
import requests
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, EmailStr, Field
from sqlalchemy import text

from .db import engine

app = FastAPI()
rdb = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=1)

GEOCODER = "https://geocode.example.org/v1/search"
GEOCODER_KEY = os.environ["GEOCODER_KEY"]
REQUESTS_PER_HOUR = 5


class PickupRequest(BaseModel):
    name: str = Field(max_length=120)
    email: EmailStr
    phone: str = Field(max_length=20)
    address: str = Field(max_length=300)
    postcode: str = Field(max_length=10)
    items: str = Field(max_length=1000)  # "3-seater sofa (fire label attached), 2 boxes books"
    preferred_date: date


def _client_id(request: Request) -> str:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host


def _throttle(client: str) -> None:
    key = f"pickup-form:{client}"
    count = rdb.incr(key)
    if count == 1:
        rdb.expire(key, 3600)
    if count > REQUESTS_PER_HOUR:
        raise HTTPException(429, "Too many collection requests from this connection")


def _geocode(address: str, postcode: str) -> tuple[float, float]:
    resp = requests.get(
        GEOCODER,
        params={"q": f"{address}, {postcode}", "countrycodes": "gb", "key": GEOCODER_KEY},
    )
    resp.raise_for_status()
    hits = resp.json()
    if not hits:
        raise HTTPException(422, "We couldn't find that address")
    return float(hits[0]["lat"]), float(hits[0]["lon"])


@app.post("/pickups", status_code=201)
def request_pickup(body: PickupRequest, request: Request):
    _throttle(_client_id(request))
    lat, lng = _geocode(body.address, body.postcode)

    with engine.begin() as conn:
        shop_id = conn.execute(
            text(
                "SELECT id FROM shops WHERE has_van "
                "ORDER BY location <-> ST_MakePoint(:lng, :lat)::geography LIMIT 1"
            ),
            {"lat": lat, "lng": lng},
        ).scalar_one()
        pickup_id = conn.execute(
            text(
                "INSERT INTO pickup_requests (shop_id, name, email, phone, address, postcode, "
                "items, preferred_date, lat, lng) VALUES (:shop, :name, :email, :phone, "
                ":address, :postcode, :items, :preferred_date, :lat, :lng) RETURNING id"
            ),
            {"shop": shop_id, "lat": lat, "lng": lng, **body.model_dump(exclude={"email"}),
             "email": str(body.email)},
        ).scalar_one()

    return {"id": pickup_id, "shop_id": shop_id}
