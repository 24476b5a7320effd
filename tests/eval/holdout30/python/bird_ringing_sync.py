"""Nightly push of new ringing records to the national ringing scheme.

Ringers enter captures on the reserve's tablet app during the day; this Celery task
batches anything not yet submitted and posts it to the scheme's submissions endpoint.
Scheduled from celery beat at 02:30.
"""
import logging
import time

import requests
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ringing.models import RingingRecord, SubmissionLog

log = logging.getLogger(__name__)

SCHEME_URL = "https://submissions.ringing-scheme.example.org/api/v2/records"
BATCH_SIZE = 500
MAX_ATTEMPTS = 5


def _serialise(rec: RingingRecord) -> dict:
    return {
        "local_id": rec.pk,
        "ring_number": rec.ring_number,
        "species_code": rec.species_code,
        "age_code": rec.age_code,
        "sex": rec.sex or "U",
        "wing_mm": rec.wing_length_mm,
        "mass_g": float(rec.mass_g) if rec.mass_g is not None else None,
        "site_code": rec.site.scheme_code,
        "ringer_permit": rec.ringer.permit_number,
        "caught_at": rec.caught_at.isoformat(),
        "condition": "retrap" if rec.is_retrap else "new",
    }


def _post_batch(session: requests.Session, payload: list[dict]) -> dict:
    for attempt in range(MAX_ATTEMPTS):
        resp = session.post(SCHEME_URL, json={"records": payload})
        if resp.status_code in (429, 502, 503, 504):
            log.warning("ringing scheme busy (HTTP %s, attempt %s)", resp.status_code, attempt + 1)
            time.sleep(2)
            continue
        resp.raise_for_status()
        return resp.json()
    raise RuntimeError(f"ringing scheme unavailable after {MAX_ATTEMPTS} attempts")


@shared_task(name="ringing.push_new_records")
def push_new_records() -> int:
    records = list(
        RingingRecord.objects.filter(submitted_at__isnull=True)
        .select_related("ringer", "site")
        .order_by("pk")[:BATCH_SIZE]
    )
    if not records:
        log.info("no new ringing records to submit")
        return 0

    with requests.Session() as session:
        session.headers["Authorization"] = f"Token {settings.RINGING_SCHEME_TOKEN}"
        result = _post_batch(session, [_serialise(r) for r in records])

    accepted = set(result.get("accepted_local_ids", []))
    rejected = result.get("rejected", [])
    with transaction.atomic():
        RingingRecord.objects.filter(pk__in=accepted).update(submitted_at=timezone.now())
        if rejected:
            for item in rejected:
                log.info("record %s rejected: %s", item.get("local_id"), item.get("reason"))

    # Keep an audit trail so the ringing secretary can see what went up each night.
    try:
        SubmissionLog.objects.create(
            batch_size=len(records), accepted=len(accepted), rejected=len(rejected), raw_response=result
        )
    except Exception:
        pass
    return len(accepted)
