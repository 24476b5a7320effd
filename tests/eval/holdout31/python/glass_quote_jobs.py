# quotes/jobs.py -- window survey analysis for stained-glass repair quotes
#
# Analysing a full window (30-60 photos) takes minutes, so the view only
# records the job and answers 202; a Celery worker does the pixel work in a
# process pool and the browser polls the status URL.
from concurrent.futures import ProcessPoolExecutor

from celery import shared_task
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from quotes.analysis import estimate_light  # pure function: path -> dict
from quotes.models import AnalysisJob, PanelPhoto, RepairQuote
from quotes.pdf import render_quote_pdf

ANALYSIS_PROCESSES = 4


@login_required
@require_POST
def start_analysis(request, quote_id):
    quote = get_object_or_404(RepairQuote, pk=quote_id, conservator=request.user)
    with transaction.atomic():
        job = AnalysisJob.objects.create(quote=quote, status=AnalysisJob.QUEUED)
        transaction.on_commit(lambda: analyse_window.delay(job.pk))
    status_url = reverse("quotes:analysis-status", args=[job.pk])
    return JsonResponse({"job_id": job.pk, "status_url": status_url}, status=202, headers={"Location": status_url})


@login_required
@require_GET
def analysis_status(request, job_id):
    job = get_object_or_404(AnalysisJob, pk=job_id, quote__conservator=request.user)
    body = {"job_id": job.pk, "status": job.status}
    if job.status == AnalysisJob.DONE:
        body["pdf"] = job.quote.pdf.url
        body["total_gbp"] = str(job.quote.total_gbp)
    elif job.status == AnalysisJob.FAILED:
        body["error"] = job.error_message
    return JsonResponse(body)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=4,
)
def analyse_window(self, job_id: int) -> None:
    job = AnalysisJob.objects.select_related("quote").get(pk=job_id)
    AnalysisJob.objects.filter(pk=job_id).update(status=AnalysisJob.RUNNING)
    quote = job.quote
    paths = [
        quote.photo_root / p
        for p in PanelPhoto.objects.filter(quote=quote).order_by("light_number").values_list("image", flat=True)
    ]

    try:
        # CPU-bound pixel walking: separate processes, not threads
        with ProcessPoolExecutor(max_workers=ANALYSIS_PROCESSES) as pool:
            estimates = list(pool.map(estimate_light, paths, chunksize=4))

        quote.apply_estimates(estimates)
        quote.pdf.save(f"quote-{quote.pk}.pdf", render_quote_pdf(quote, estimates), save=False)
        quote.save()
    except Exception as exc:
        AnalysisJob.objects.filter(pk=job_id).update(status=AnalysisJob.FAILED, error_message=str(exc)[:500])
        raise

    AnalysisJob.objects.filter(pk=job_id).update(status=AnalysisJob.DONE)
