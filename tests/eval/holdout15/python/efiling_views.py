# efiling/views.py
import logging
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import Filing, FilingDocument, Docket

log = logging.getLogger(__name__)

PAGE_SIZE = 50


def _filing_row(f):
    return {
        "id": f.id,
        "case_number": f.docket.case_number,
        "title": f.title,
        "status": f.status,
        "submitted_at": f.submitted_at.isoformat() if f.submitted_at else None,
        "document_count": f.documents.count(),
        "court": f.docket.court_code,
    }


@login_required
@require_GET
def filing_list(request):
    """Filings for the signed-in attorney's firm, newest first."""
    page = max(int(request.GET.get("page", 1)), 1)
    qs = (
        Filing.objects.filter(firm_id=request.user.firm_id)
        .select_related("docket")
        .order_by("-submitted_at")
    )
    status = request.GET.get("status")
    if status:
        qs = qs.filter(status=status)
    filings = qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return JsonResponse({"page": page, "results": [_filing_row(f) for f in filings]})


@login_required
@require_GET
def filing_detail(request, filing_id):
    filing = get_object_or_404(Filing.objects.select_related("docket"), pk=filing_id)
    docs = (
        FilingDocument.objects.filter(filing=filing, firm_id=request.user.firm_id)
        .order_by("sequence")
        .values("id", "sequence", "label", "page_count", "sealed")
    )
    data = _filing_row(filing)
    data["documents"] = list(docs)
    return JsonResponse(data)


@login_required
@require_GET
def docket_search(request):
    q = request.GET.get("q", "").strip()
    if len(q) < 3:
        return JsonResponse({"results": []})
    dockets = (
        Docket.objects.filter(firm_id=request.user.firm_id)
        .filter(Q(case_number__icontains=q) | Q(caption__icontains=q))
        .order_by("-opened_at")[:25]
    )
    return JsonResponse({"results": [{"id": d.id, "case_number": d.case_number,
                                      "caption": d.caption} for d in dockets]})


@require_GET
def court_volume(request):
    """Public clerk's-office widget: filings per case type over the last 30 days.

    Scans the whole filings table (~40M rows) so we cache it for 10 minutes.
    """
    stats = cache.get("court_volume_30d")
    if stats is None:
        since = timezone.now() - timedelta(days=30)
        stats = list(
            Filing.objects.filter(submitted_at__gte=since)
            .values("docket__court_code", "docket__case_type")
            .annotate(total=Count("id"),
                      rejected=Count("id", filter=Q(status="rejected")))
            .order_by("docket__court_code", "docket__case_type")
        )
        cache.set("court_volume_30d", stats, 600)
    return JsonResponse({"window_days": 30, "stats": stats})


@login_required
def withdraw_filing(request, filing_id):
    if request.method != "POST":
        return JsonResponse({"error": "POST only"}, status=405)
    updated = Filing.objects.filter(
        pk=filing_id, firm_id=request.user.firm_id, status="draft"
    ).update(status="withdrawn", updated_at=timezone.now())
    if not updated:
        return JsonResponse({"error": "not found or already submitted"}, status=409)
    log.info("filing %s withdrawn by %s", filing_id, request.user.pk)
    return JsonResponse({"ok": True})


@login_required
@require_GET
def filing_receipt(request, filing_id):
    filing = get_object_or_404(Filing, pk=filing_id, firm_id=request.user.firm_id)
    receipt = filing.receipts.order_by("-issued_at").first()
    if receipt is None:
        return JsonResponse({"error": "no receipt yet"}, status=404)
    return JsonResponse({
        "filing": filing.id,
        "receipt_no": receipt.number,
