# adverts/views.py - parish magazine advert bookings.
# The magazine site runs on two app servers behind the diocese's nginx load balancer,
# which appends the caller to X-Forwarded-For ($proxy_add_x_forwarded_for).
import io
import zipfile
from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from weasyprint import HTML

from .models import Advert, Issue

# The parish office broadband line (two static addresses).
OFFICE_IPS = {"81.2.69.160", "81.2.69.161"}


def _client_ip(request):
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def office_only(view):
    """Proof sheets and rate cards are only available from the parish office."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _client_ip(request) not in OFFICE_IPS:
            return HttpResponseForbidden("Available from the parish office only.")
        return view(request, *args, **kwargs)

    return wrapper


def issue_list(request):
    issues = Issue.objects.filter(published=True).order_by("-month")
    page = Paginator(issues, 12).get_page(request.GET.get("page"))
    return render(request, "adverts/issue_list.html", {"page": page})


@office_only
def issue_adverts(request, issue_id):
    issue = get_object_or_404(Issue, pk=issue_id)
    adverts = (
        Advert.objects.filter(issue=issue)
        .select_related("advertiser", "size")
        .order_by("page_number", "position")
    )
    return render(request, "adverts/issue_adverts.html", {"issue": issue, "adverts": adverts})


@office_only
def proof_pack(request, issue_id):
    """Every advertiser gets a PDF proof of their advert laid out as it will print.

    The editor downloads the whole pack as one zip before the print deadline; a
    typical monthly issue carries 120-150 adverts.
    """
    issue = get_object_or_404(Issue, pk=issue_id)
    adverts = (
        Advert.objects.filter(issue=issue)
        .select_related("advertiser", "size")
        .order_by("advertiser__name")
    )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for advert in adverts:
            html = render_to_string(
                "adverts/proof.html",
                {"issue": issue, "advert": advert, "bleed_mm": 3, "dpi": 300},
            )
            pdf_bytes = HTML(string=html, base_url=str(settings.STATIC_ROOT)).write_pdf()
            filename = f"{advert.advertiser.slug}-{issue.month:%Y-%m}.pdf"
            pack.writestr(filename, pdf_bytes)

    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="proofs-{issue.month:%Y-%m}.zip"'
    return response
