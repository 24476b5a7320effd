"""Observation log tools for the stargazing society site (Django).

Members upload sky photos with their observation notes. The "re-solve"
button on the society admin page sends every unsolved photo to the
astrometry service so RA/Dec and field of view get filled in.
"""
import logging

import requests
from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from observations.models import Observation

log = logging.getLogger(__name__)

ASTROMETRY_URL = "https://astrometry.internal.example.org/api/solve"
_http = requests.Session()


class SolveFailed(Exception):
    pass


def solve_field(image_path: str, hint_ra: float | None, hint_dec: float | None) -> dict:
    """Blind-solve one image; typical solve takes 5-40 s depending on hints."""
    payload = {"scale_units": "degwidth", "scale_lower": 0.1, "scale_upper": 10}
    if hint_ra is not None and hint_dec is not None:
        payload.update({"center_ra": hint_ra, "center_dec": hint_dec, "radius": 5})

    last_error: Exception | None = None
    for attempt in range(1, 6):
        try:
            with open(image_path, "rb") as fh:
                resp = _http.post(ASTROMETRY_URL, data=payload, files={"image": fh}, timeout=60)
            if resp.status_code == 503:
                log.info("solver busy (attempt %d), retrying", attempt)
                continue
            resp.raise_for_status()
            return resp.json()
        except requests.RequestException as exc:
            last_error = exc
            log.warning("solve attempt %d for %s failed: %s", attempt, image_path, exc)
    raise SolveFailed(f"could not solve {image_path}") from last_error


@staff_member_required
@require_POST
def resolve_unsolved(request):
    society = request.user.member.society
    pending = (
        Observation.objects.filter(society=society, photo__isnull=False, solved_at__isnull=True)
        .order_by("observed_at")[:2000]
    )

    solved, failed = 0, []
    for obs in pending:
        try:
            result = solve_field(obs.photo.path, obs.hint_ra, obs.hint_dec)
        except SolveFailed as exc:
            log.warning("observation %s: %s", obs.pk, exc)
            failed.append(obs.pk)
            continue
        with transaction.atomic():
            obs.ra_deg = result["ra"]
            obs.dec_deg = result["dec"]
            obs.field_width_deg = result["field_width"]
            obs.solved_at = result["solved_at"]
            obs.save(update_fields=["ra_deg", "dec_deg", "field_width_deg", "solved_at"])
        solved += 1

    return JsonResponse({"solved": solved, "failed": failed})
