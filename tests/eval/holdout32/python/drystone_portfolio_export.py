# apprenticeships/exports.py
#
# An apprentice's end-of-scheme portfolio: every logged wall section (metres
# built, stone type, batter, photos) bundled into one PDF for the assessor.
# Building it takes a few minutes for a two-year apprentice with hundreds of
# photos, so the view hands it to Celery and the page polls for the result.
import logging

from celery import shared_task
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apprenticeships.models import PortfolioExport, WallSection
from apprenticeships.pdf import build_portfolio_pdf

log = logging.getLogger(__name__)


@login_required
@require_POST
def start_portfolio_export(request):
    # PortfolioExport carries UniqueConstraint(fields=["apprentice"],
    # condition=Q(status__in=["queued", "running"])), so a double click gets the
    # existing export back from get_or_create instead of a second job.
    export, created = PortfolioExport.objects.get_or_create(
        apprentice=request.user,
        status__in=("queued", "running"),
        defaults={"status": "queued"},
    )
    if created:
        build_portfolio.delay(export.pk)
    status_url = reverse("portfolio-export-status", args=[export.pk])
    return JsonResponse({"export_id": export.pk, "status_url": status_url}, status=202)


@login_required
@require_GET
def portfolio_export_status(request, export_id):
    export = get_object_or_404(PortfolioExport, pk=export_id, apprentice=request.user)
    body = {"status": export.status}
    if export.status == "done":
        body["download_url"] = export.pdf.url
    return JsonResponse(body)


@shared_task(bind=True, max_retries=3, retry_backoff=True, retry_backoff_max=600, retry_jitter=True)
def build_portfolio(self, export_id):
    export = PortfolioExport.objects.select_related("apprentice").get(pk=export_id)
    PortfolioExport.objects.filter(pk=export_id).update(status="running")
    try:
        sections = (
            WallSection.objects.filter(apprentice=export.apprentice)
            .select_related("site", "assessor")
            .prefetch_related("photos")
            .order_by("built_on")
        )
        pdf_bytes = build_portfolio_pdf(export.apprentice, sections)
    except Exception as exc:
        log.exception("portfolio export %s failed (attempt %s)", export_id, self.request.retries + 1)
        if self.request.retries >= self.max_retries:
            PortfolioExport.objects.filter(pk=export_id).update(status="failed")
            raise
        raise self.retry(exc=exc)

    export.pdf.save(f"portfolio-{export.apprentice_id}.pdf", ContentFile(pdf_bytes), save=False)
    export.status = "done"
    export.save(update_fields=["pdf", "status"])
    return export_id
