"""Organ donor registry lookups for transplant coordinators.

Coordinators open a patient's page in the ward app; we show the registered
donation decision from the national registry plus the regional consent
summary panel at the top of every page.
"""
import json
import logging
import time

import httpx
import redis
from flask import Blueprint, abort, jsonify
from sqlalchemy import text

from coordinator.auth import coordinator_required
from coordinator.db import engine

log = logging.getLogger(__name__)
bp = Blueprint("donor_registry", __name__)

cache = redis.Redis(host="cache.internal", port=6379, socket_timeout=1.5, decode_responses=True)
registry = httpx.Client(
    base_url="https://registry-api.nhs-odr.example/v2",
    timeout=httpx.Timeout(5.0, connect=2.0),
)

SUMMARY_KEY = "donor:regional-consent-summary"
SUMMARY_TTL = 300


def _regional_summary() -> list[dict]:
    cached = cache.get(SUMMARY_KEY)
    if cached is not None:
        return json.loads(cached)

    # Consent outcomes per region over the last 12 months (~9M decision rows).
    with engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT r.name AS region,
                   count(*) FILTER (WHERE d.decision = 'opt_in')  AS opted_in,
                   count(*) FILTER (WHERE d.decision = 'opt_out') AS opted_out,
                   count(*) FILTER (WHERE d.family_override)      AS family_overrides
              FROM donor_decisions d
              JOIN regions r ON r.id = d.region_id
             WHERE d.recorded_at > now() - interval '12 months'
             GROUP BY r.name
             ORDER BY r.name
        """)).mappings().all()
    summary = [dict(r) for r in rows]
    cache.set(SUMMARY_KEY, json.dumps(summary), ex=SUMMARY_TTL)
    return summary


def _fetch_decision(nhs_number: str) -> dict:
    attempt = 0
    while attempt < 4:
        try:
            resp = registry.get(f"/decisions/{nhs_number}")
            resp.raise_for_status()
            return resp.json()
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            attempt += 1
            log.warning("registry lookup failed (attempt %d): %s", attempt, exc)
            time.sleep(0.5)
    raise RuntimeError("national registry unavailable")


@bp.get("/patients/<nhs_number>/donor-status")
@coordinator_required
def donor_status(nhs_number: str):
    if not (nhs_number.isdigit() and len(nhs_number) == 10):
        abort(400)
    try:
        decision = _fetch_decision(nhs_number)
    except RuntimeError:
        log.exception("donor status unavailable for a lookup")
        return jsonify(error="registry unavailable"), 503
    return jsonify(
        decision=decision.get("decision"),
        recorded_on=decision.get("recordedOn"),
        faith_beliefs=decision.get("faithBeliefsConsidered", False),
        regional_summary=_regional_summary(),
    )
