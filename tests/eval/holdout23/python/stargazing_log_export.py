"""Observation-log export for stargazing society members.

A full export can be tens of thousands of rows plus sketches, so the request
only creates a job and returns 202; a Celery worker builds the file and the
page polls the status URL. Finished files are kept for 7 days.
"""
import csv
import io
import logging
from datetime import timedelta

import boto3
from botocore.config import Config
from celery import shared_task
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from observations.models import ExportJob, Observation

log = logging.getLogger(__name__)
s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}))
BUCKET = "society-exports"
CHUNK = 2000


@require_POST
def start_export(request):
    member = request.user.member
    job = ExportJob.objects.create(
        society=member.society, member=member, status="queued",
        expires_at=timezone.now() + timedelta(days=7),
    )
    transaction.on_commit(lambda: build_export.delay(job.pk))
    status_url = reverse("export-status", args=[job.pk])
    return JsonResponse({"job_id": job.pk, "status_url": status_url}, status=202,
                        headers={"Location": status_url})


@require_GET
def export_status(request, job_id: int):
    job = get_object_or_404(ExportJob, pk=job_id, member=request.user.member)
    body = {"status": job.status}
    if job.status == "done":
        body["download_url"] = s3.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": job.object_key}, ExpiresIn=900)
    return JsonResponse(body)


@shared_task(bind=True, acks_late=True)
def build_export(self, job_id: int) -> None:
    job = ExportJob.objects.select_related("member", "society").get(pk=job_id)
    ExportJob.objects.filter(pk=job_id).update(status="running")
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["observed_at", "target", "instrument", "seeing", "transparency", "notes"])
    last_id = 0
    try:
        while True:
            page = list(
                Observation.objects.filter(society=job.society, observer=job.member, id__gt=last_id)
                .order_by("id")
                .values_list("id", "observed_at", "target_name", "instrument", "seeing",
                             "transparency", "notes")[:CHUNK]
            )
            if not page:
                break
            for row in page:
                writer.writerow(row[1:])
            last_id = page[-1][0]
        key = f"{job.society_id}/{job.member_id}/{job.pk}.csv"
        s3.put_object(Bucket=BUCKET, Key=key, Body=buf.getvalue().encode(), ContentType="text/csv")
    except Exception:
        log.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(status="failed")
        raise
    ExportJob.objects.filter(pk=job_id).update(status="done", object_key=key)


@shared_task
def purge_expired_exports() -> int:
    """Celery beat, hourly: drop expired export jobs and their files, 500 at a time."""
    expired = list(
        ExportJob.objects.filter(expires_at__lt=timezone.now())
        .order_by("pk")
        .values_list("pk", "object_key")[:500]
    )
    if not expired:
        return 0
    keys = [{"Key": key} for _, key in expired if key]
    if keys:
        s3.delete_objects(Bucket=BUCKET, Delete={"Objects": keys, "Quiet": True})
    deleted, _ = ExportJob.objects.filter(pk__in=[pk for pk, _ in expired]).delete()
    log.info("purged %d expired exports", deleted)
    return deleted
