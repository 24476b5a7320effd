"""
Fixed version of the go/no-go weather lookup.

The problem you saw (every request hitting the forecast API at 06:00 when the
cached entries expire) is a cache stampede. This version:

  * keeps one shared httpx.Client with a timeout configured on the client,
    so every call through it is bounded;
  * caches forecasts in a bounded TTLCache (maxsize=256, 10 minutes);
  * takes a per-site lock around the refresh, so only one thread per launch
    site recomputes while the others wait and then read the fresh value.

The per-site locks are built once at import from the fixed list of launch sites.
Runs under gunicorn -w 3 --threads 8; each worker refreshes at most once per site per TTL.
"""
import os
import threading

import httpx
from cachetools import TTLCache
from flask import Blueprint, abort, jsonify

bp = Blueprint("weather", __name__)

LAUNCH_SITES = {
    "napa-north": (38.352, -122.301),
    "temecula-east": (33.511, -117.084),
    "albuquerque-balloon-park": (35.196, -106.597),
    "sedona-airfield": (34.848, -111.789),
}

_client = httpx.Client(
    base_url="https://api.aviation-wx.example/v2",
    timeout=httpx.Timeout(5.0, connect=2.0),
    headers={"X-Api-Key": os.environ["AVWX_KEY"]},
)
_cache: TTLCache = TTLCache(maxsize=256, ttl=600)
_cache_lock = threading.Lock()
_site_locks = {site: threading.Lock() for site in LAUNCH_SITES}

MAX_SURFACE_WIND_KT = 8
MAX_GUST_SPREAD_KT = 5


def _summarize(raw: dict) -> dict:
    hours = raw["hourly"][:4]
    worst_wind = max(h["wind_kt"] for h in hours)
    worst_gust = max(h["gust_kt"] - h["wind_kt"] for h in hours)
    return {
        "wind_kt": worst_wind,
        "gust_spread_kt": worst_gust,
        "go": worst_wind <= MAX_SURFACE_WIND_KT and worst_gust <= MAX_GUST_SPREAD_KT
        and not any(h["thunderstorm"] for h in hours),
        "issued_at": raw["issued_at"],
    }


def get_forecast(site: str) -> dict:
    with _cache_lock:
        hit = _cache.get(site)
    if hit is not None:
        return hit

    with _site_locks[site]:
        # another thread may have refreshed while we waited for the lock
        with _cache_lock:
            hit = _cache.get(site)
        if hit is not None:
            return hit
        lat, lon = LAUNCH_SITES[site]
        resp = _client.get("/forecast", params={"lat": lat, "lon": lon, "hours": 6})
        resp.raise_for_status()
        summary = _summarize(resp.json())
        with _cache_lock:
            _cache[site] = summary
        return summary


@bp.get("/sites/<site>/go-no-go")
def go_no_go(site: str):
    if site not in LAUNCH_SITES:
        abort(404)
    return jsonify(site=site, **get_forecast(site))
