import logging
import random
import time

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import select

from .db import SessionLocal
from .models import FootPassenger, Sailing
from .settings import settings

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = {429, 502, 503, 504}
CONNECT_TIMEOUT, READ_TIMEOUT = 3.05, 15

_session = requests.Session()
_session.mount("https://", HTTPAdapter(pool_connections=4, pool_maxsize=10))
_session.headers["X-Operator-Key"] = settings.HARBOUR_API_KEY


class HarbourUnavailable(Exception):
    pass


def _post_with_backoff(path: str, payload: dict, idempotency_key: str, max_attempts: int = 5,
                       base_delay: float = 0.5, max_delay: float = 30.0) -> dict:
    url = f"{settings.HARBOUR_API_URL}{path}"
    for attempt in range(1, max_attempts + 1):
        try:
            resp = _session.post(
                url,
                json=payload,
                headers={"Idempotency-Key": idempotency_key},
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            )
            if resp.status_code in RETRYABLE_STATUSES:
                raise HarbourUnavailable(f"{resp.status_code} from harbour API")
            resp.raise_for_status()
            return resp.json()
        except (requests.ConnectionError, requests.Timeout, HarbourUnavailable) as exc:
            if attempt == max_attempts:
                log.error("giving up on %s after %d attempts: %s", path, attempt, exc)
                raise
            # Full jitter, capped, so a harbour outage does not get a synchronized retry wave.
            delay = random.uniform(0, min(max_delay, base_delay * 2 ** attempt))
            log.warning("harbour API attempt %d failed (%s), retrying in %.1fs", attempt, exc, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


def submit_manifest(sailing_id: int) -> str:
    """Sends the foot-passenger manifest for one sailing before departure."""
    with SessionLocal() as db:
        sailing = db.get(Sailing, sailing_id)
        passengers = db.scalars(
            select(FootPassenger).where(FootPassenger.sailing_id == sailing_id).order_by(FootPassenger.surname)
        ).all()

    payload = {
        "vessel": sailing.vessel_code,
        "departs_at": sailing.departs_at.isoformat(),
        "route": sailing.route_code,
        "passengers": [
            {"surname": p.surname, "given_names": p.given_names, "age_band": p.age_band, "nationality": p.nationality}
            for p in passengers
        ],
    }
    result = _post_with_backoff(
        "/v1/manifests", payload, idempotency_key=f"manifest-{sailing_id}-{sailing.manifest_version}"
    )
    log.info("manifest for sailing %s accepted as %s", sailing_id, result["reference"])
    return result["reference"]
