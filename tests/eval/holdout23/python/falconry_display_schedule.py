"""Weekly flying-display schedule for the falconry centre visitor app.

Visitors open the app at the gate and see which birds fly when, who is
handling them, and whether the wind is likely to cancel the afternoon show.
"""
import logging
from datetime import date, datetime, timedelta

import requests
from flask import Blueprint, abort, g, jsonify
from flask_caching import Cache

from .db import db_session
from .models import Bird, Display, Handler, Site

bp = Blueprint("displays", __name__, url_prefix="/api/displays")
cache = Cache(config={
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache:6379/2",
    "CACHE_DEFAULT_TIMEOUT": 300,
})
log = logging.getLogger(__name__)

FORECAST_URL = "https://api.metfeed.example.com/v2/forecast/hourly"
GUST_LIMIT_MPH = 25  # birds are not flown above this


def _wind_outlook(site_code: str) -> dict:
    """Hourly gusts for the next 24h at the site's nearest station."""
    resp = requests.get(
        FORECAST_URL,
        params={"station": site_code, "fields": "gust_mph,wind_dir", "hours": 24},
        headers={"Accept": "application/json"},
    )
    resp.raise_for_status()
    hours = resp.json().get("hours", [])
    worst = max((h["gust_mph"] for h in hours), default=0)
    return {"max_gust_mph": worst, "flying_at_risk": worst >= GUST_LIMIT_MPH}


def _serialize(display: Display, bird: Bird, handler: Handler) -> dict:
    return {
        "id": display.id,
        "starts_at": display.starts_at.isoformat(),
        "arena": display.arena,
        "bird": {"name": bird.name, "species": bird.species, "photo": bird.photo_url},
        "handler": handler.display_name,
        "cancelled": display.cancelled,
    }


def _week_of_displays(site_id: int, start: date) -> list[dict]:
    end = start + timedelta(days=7)
    rows = (
        db_session.query(Display, Bird, Handler)
        .join(Bird, Display.bird_id == Bird.id)
        .join(Handler, Display.handler_id == Handler.id)
        .filter(
            Display.site_id == site_id,
            Display.starts_at >= start,
            Display.starts_at < end,
        )
        .order_by(Display.starts_at)
        .limit(300)
        .all()
    )
    return [_serialize(d, b, h) for d, b, h in rows]


@bp.get("/<int:site_id>/week")
def week_schedule(site_id: int):
    site = db_session.get(Site, site_id)
    if site is None or not site.public:
        abort(404)

    # Visitors are logged in so they can favourite birds; cache per visitor
    # so the favourites flag below stays consistent with what they saw.
    cache_key = f"displays:week:{site_id}:{g.current_user.id}"
    payload = cache.get(cache_key)
    if payload is None:
        payload = {
            "site": {"id": site.id, "name": site.name},
            "generated_at": datetime.utcnow().isoformat(),
            "wind": _wind_outlook(site.station_code),
            "displays": _week_of_displays(site.id, date.today()),
        }
        cache.set(cache_key, payload)

    favourites = set(g.current_user.favourite_bird_names or [])
    for item in payload["displays"]:
        item["favourite"] = item["bird"]["name"] in favourites
    return jsonify(payload)
