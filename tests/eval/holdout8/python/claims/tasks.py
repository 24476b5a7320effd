"""Celery tasks for the claims service (Django).

Beat schedule (settings.CELERY_BEAT_SCHEDULE):
    submit-pending-claims   every 5 min
    purge-upload-tokens     every hour
"""
import logging

import requests
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.models import AdjusterSubmission, Claim, UploadToken

log = logging.getLogger(__name__)

# one pooled session per worker process
_session = requests.Session()
_session.headers.update({"Authorization": f"Bearer {settings.ADJUSTER_API_TOKEN}"})


@shared_task(
    bind=True,
    autoretry_for=(requests.ConnectionError, requests.Timeout),
    retry_backoff=5,          # 5s, 10s, 20s, ...
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def submit_to_adjuster(self, claim_id: int) -> None:
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        if claim.submitted_at is not None:
            return  # another worker already did it
        claim.submission_state = "sending"
        claim.save(update_fields=["submission_state"])

    payload = {
        "external_id": f"clm-{claim.pk}",  # adjuster API dedupes on external_id
        "policy": claim.policy_number,
        "amount": str(claim.claimed_amount),
    }
    try:
        resp = _session.post(f"{settings.ADJUSTER_API}/claims", json=payload, timeout=(3.05, 20))
        resp.raise_for_status()
    except requests.HTTPError:
        log.exception("adjuster rejected claim %s", claim_id)
        raise

    with transaction.atomic():
        AdjusterSubmission.objects.create(claim_id=claim.pk, remote_id=resp.json()["id"])
        Claim.objects.filter(pk=claim.pk).update(submitted_at=timezone.now(), submission_state="sent")


@shared_task
def submit_pending_claims() -> int:
    qs = (
        Claim.objects.filter(status="approved", submitted_at__isnull=True)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    n = 0
    for claim_id in qs.iterator(chunk_size=500):
        submit_to_adjuster.delay(claim_id)
        n += 1
    log.info("queued %d claims", n)
    return n


@shared_task
def purge_upload_tokens() -> int:
    deleted, _ = UploadToken.objects.filter(expires_at__lt=timezone.now()).delete()
    log.info("purged %d expired upload tokens", deleted)
    return deleted
