# tournaments/views.py + tasks.py (bridge club congress results)
#
# The full congress report (every board, every pair, butler scores, cross-
# tables) takes a few minutes to build for a large weekend congress, so the
# director's "Build report" button queues a Celery job and the page polls.
import logging

from celery import shared_task
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .models import ReportJob, Tournament
from .reporting import build_congress_report

log = logging.getLogger(__name__)


@login_required
@permission_required("tournaments.run_reports", raise_exception=True)
@require_POST
def request_report(request, tournament_id):
    club = request.user.profile.club
    tournament = get_object_or_404(Tournament, pk=tournament_id, club=club)

    with transaction.atomic():
        job = ReportJob.objects.create(tournament=tournament, club=club, requested_by=request.user)
        # enqueue only after the row is committed so the worker can see it
        transaction.on_commit(lambda: build_report.delay(job.id))

    status_url = reverse("tournaments:report-status", args=[job.id])
    resp = JsonResponse({"job_id": job.id, "status": job.status, "status_url": status_url}, status=202)
    resp["Location"] = status_url
    return resp


@login_required
@require_GET
def report_status(request, job_id):
    job = get_object_or_404(ReportJob, pk=job_id, club=request.user.profile.club)
    body = {"job_id": job.id, "status": job.status}
    if job.status == ReportJob.Status.DONE:
        body["download_url"] = job.result_file.url
    elif job.status == ReportJob.Status.FAILED:
        body["error"] = job.error_message
    return JsonResponse(body)


@shared_task(bind=True, acks_late=True, max_retries=0)
def build_report(self, job_id: int) -> None:
    updated = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING
    )
    if not updated:
        log.info("report job %s already picked up", job_id)
        return

    job = ReportJob.objects.select_related("tournament").get(pk=job_id)
    try:
        pdf_file = build_congress_report(job.tournament)
    except Exception as exc:
        log.exception("congress report %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(status=ReportJob.Status.FAILED, error_message=str(exc)[:500])
        raise

    job.result_file.save(f"congress-{job.tournament_id}.pdf", pdf_file, save=False)
    job.status = ReportJob.Status.DONE
    job.save(update_fields=["result_file", "status"])
