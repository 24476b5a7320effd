# exports/views.py + exports/tasks.py
#
# Livestock catalogue export for agricultural show societies. Many societies
# share the platform; every Show, Pen and ExportJob belongs to a Society.
# Building the catalogue for a big county show (3,000+ pens) takes a few
# minutes, so the view only queues it and the page polls for the result.
import csv
import io
import logging

from celery import shared_task
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .models import ExportJob, Pen, Show

log = logging.getLogger(__name__)


@login_required
@require_POST
def start_catalogue_export(request, show_id):
    society = request.user.profile.society
    show = get_object_or_404(Show, pk=show_id, society=society)
    job = ExportJob.objects.create(society=society, show=show, requested_by=request.user, status="queued")
    build_catalogue.delay(job.id, society.id)
    return JsonResponse(
        {"job_id": job.id, "status_url": reverse("exports:status", args=[job.id])},
        status=202,
    )


@login_required
@require_GET
def export_status(request, job_id):
    job = get_object_or_404(ExportJob, pk=job_id, society=request.user.profile.society)
    body = {"job_id": job.id, "status": job.status}
    if job.status == "done":
        body["download_url"] = job.file.url
    elif job.status == "failed":
        body["error"] = job.error_message
    return JsonResponse(body)


@shared_task(bind=True, acks_late=True, max_retries=0)
def build_catalogue(self, job_id, society_id):
    jobs = ExportJob.objects.filter(pk=job_id, society_id=society_id)
    job = jobs.select_related("show", "society").get()
    jobs.update(status="running")
    try:
        pens = (
            Pen.objects.filter(show=job.show, show__society=job.society)
            .select_related("exhibitor", "breed_class", "section")
            .order_by("section__order", "breed_class__code", "pen_number")
        )
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["section", "class", "pen", "exhibitor", "animal", "born", "sire", "dam"])
        for pen in pens.iterator(chunk_size=2000):
            writer.writerow([
                pen.section.name,
                pen.breed_class.code,
                pen.pen_number,
                pen.exhibitor.display_name,
                pen.animal_name,
                pen.date_of_birth.isoformat() if pen.date_of_birth else "",
                pen.sire or "",
                pen.dam or "",
            ])
        job.file.save(f"catalogue-{job.show.slug}.csv", ContentFile(buf.getvalue().encode()), save=False)
        job.status = "done"
        job.save(update_fields=["file", "status"])
    except Exception as exc:
        log.exception("catalogue export %s failed", job_id)
        jobs.update(status="failed", error_message=str(exc)[:500])
        raise
