"""Celery tasks for dispatching dry-stone wall repair crews.

A landowner reports a collapsed section; the office assigns it to a crew
and this module tells the crew's rota app and the landowner.
"""
import logging
import random

import requests
from celery import shared_task
from django.conf import settings
from django.db import transaction

from walls.models import CrewDispatch, RepairJob

log = logging.getLogger(__name__)

rota_http = requests.Session()
rota_http.headers["Authorization"] = f"Token {settings.CREW_ROTA_TOKEN}"

ROTA_TIMEOUT = (3.05, 10)  # connect, read


@shared_task(
    bind=True,
    autoretry_for=(requests.ConnectionError, requests.Timeout),
    retry_backoff=5,          # 5 s, 10 s, 20 s ...
    retry_backoff_max=600,    # never wait more than 10 minutes
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)
def dispatch_crew(self, job_id: int, crew_id: int) -> int:
    with transaction.atomic():
        job = RepairJob.objects.select_for_update().get(pk=job_id)
        # CrewDispatch has UniqueConstraint(fields=["job", "crew"]), so a
        # redelivered task finds the existing row instead of adding another.
        dispatch, created = CrewDispatch.objects.get_or_create(
            job=job,
            crew_id=crew_id,
            defaults={"metres_to_rebuild": job.collapsed_metres, "stone_source": job.stone_source},
        )
        if created:
            job.status = "dispatched"
            job.save(update_fields=["status"])

    if dispatch.rota_ref:
        return dispatch.pk  # already pushed on an earlier attempt

    resp = rota_http.post(
        f"{settings.CREW_ROTA_URL}/jobs",
        json={
            "external_id": f"wall-{dispatch.pk}",  # rota app dedupes on this
            "grid_ref": job.grid_ref,
            "metres": float(job.collapsed_metres),
            "wall_type": job.wall_type,  # e.g. "Galloway dyke", "single-skin"
        },
        timeout=ROTA_TIMEOUT,
    )
    try:
        resp.raise_for_status()
    except requests.HTTPError:
        log.error("rota app refused dispatch %s: %s %s", dispatch.pk, resp.status_code, resp.text[:300])
        raise

    dispatch.rota_ref = resp.json()["id"]
    dispatch.save(update_fields=["rota_ref"])
    return dispatch.pk


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def tell_landowner(self, dispatch_id: int) -> None:
    dispatch = CrewDispatch.objects.select_related("job__landowner", "crew").get(pk=dispatch_id)
    try:
        dispatch.job.landowner.notify(
            f"{dispatch.crew.name} will repair {dispatch.metres_to_rebuild} m of wall at "
            f"{dispatch.job.grid_ref} during the week of {dispatch.planned_week:%d %b}."
        )
    except Exception as exc:
        log.warning("landowner notification for dispatch %s failed: %s", dispatch_id, exc)
        raise self.retry(exc=exc, countdown=120 * (2 ** self.request.retries) + random.uniform(0, 30))
