# listings/exports.py -- CSV export of a brokerage's listings (can be 100k+ rows for big franchises)
import csv
import io
import logging

import requests
from celery import shared_task
from django.db import transaction
from django.shortcuts import get_object_or_404
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import ExportJob, Listing, ListingAgent

log = logging.getLogger(__name__)
PAGE = 1000


class ExportCreate(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request):
        job = ExportJob.objects.create(brokerage_id=request.user.brokerage_id,
                                       requested_by=request.user, status="queued")
        transaction.on_commit(lambda: export_listings.delay(job.id))
        return Response({"job_id": job.id, "status": job.status}, status=status.HTTP_202_ACCEPTED)


class ExportStatus(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request, job_id):
        job = get_object_or_404(ExportJob, pk=job_id, brokerage_id=request.user.brokerage_id)
        return Response({"status": job.status, "url": job.download_url if job.status == "done" else None})


def _pages(brokerage_id):
    """Keyset pagination: yields lists of up to PAGE listings."""
    last_id = 0
    while True:
        page = list(Listing.objects.filter(brokerage_id=brokerage_id, id__gt=last_id)
                    .order_by("id")
                    .values("id", "mls_number", "address", "price", "status", "listed_at")[:PAGE])
        if not page:
            return
        yield page
        last_id = page[-1]["id"]


@shared_task(bind=True, acks_late=True, max_retries=3)
def export_listings(self, job_id):
    job = ExportJob.objects.get(pk=job_id)
    ExportJob.objects.filter(pk=job_id).update(status="running")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["mls_number", "address", "price", "status", "listed_at", "agents"])
    try:
        for page in _pages(job.brokerage_id):
            ids = [row["id"] for row in page]
            agents = {}
            # one query per page of 1000, not per listing
            for la in ListingAgent.objects.filter(listing_id__in=ids).select_related("agent"):
                agents.setdefault(la.listing_id, []).append(la.agent.full_name)
            for row in page:
                w.writerow([row["mls_number"], row["address"], row["price"], row["status"],
                            row["listed_at"].date().isoformat(), "; ".join(agents.get(row["id"], []))])

        resp = requests.put(job.upload_url, data=buf.getvalue().encode(), timeout=(5, 120))
        resp.raise_for_status()
    except Exception as exc:
        log.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(status="failed")
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries)

    ExportJob.objects.filter(pk=job_id).update(status="done")
