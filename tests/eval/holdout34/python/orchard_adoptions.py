# orchard/views.py
"""Heritage orchard tree adoptions.

Supporters adopt one of the old Somerset cider apple and perry pear trees,
get a printable certificate, and can browse the variety catalogue with the
history of each tree. Served by Django on three app servers behind the LB.
"""
import logging

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from .certificates import render_certificate_pdf
from .models import Adoption, Variety

log = logging.getLogger(__name__)

CATALOGUE_TTL = 60 * 30

# Rendered certificates, keyed by adoption id. Rendering takes ~1.5 s (fonts,
# the watercolour of the tree), and people tend to download twice.
_certificate_pdfs = {}


def _catalogue_payload():
    varieties = (
        Variety.objects.filter(published=True)
        .prefetch_related("trees")
        .order_by("name")[:300]
    )
    return [
        {
            "id": v.id,
            "name": v.name,
            "type": v.fruit_type,
            "first_recorded": v.first_recorded,
            "trees": [{"id": t.id, "row": t.row, "planted": t.planted_year} for t in v.trees.all()],
        }
        for v in varieties
    ]


@login_required
def variety_catalogue(request):
    """The public variety list with tree positions - same for every supporter."""
    key = f"orchard:catalogue:user:{request.user.pk}"
    data = cache.get(key)
    if data is None:
        data = _catalogue_payload()
        cache.set(key, data, CATALOGUE_TTL)
    return JsonResponse({"varieties": data})


@login_required
def my_adoptions(request):
    adoptions = (
        Adoption.objects.filter(supporter=request.user)
        .select_related("tree__variety")
        .order_by("-started_on")[:50]
    )
    return JsonResponse(
        {
            "adoptions": [
                {
                    "id": a.id,
                    "tree": a.tree.label,
                    "variety": a.tree.variety.name,
                    "renews_on": a.renews_on.isoformat(),
                }
                for a in adoptions
            ]
        }
    )


@login_required
def certificate(request, adoption_id):
    adoption = get_object_or_404(
        Adoption.objects.select_related("tree__variety"),
        pk=adoption_id,
        supporter=request.user,
    )
    pdf = _certificate_pdfs.get(adoption.id)
    if pdf is None:
        pdf = render_certificate_pdf(
            supporter_name=adoption.certificate_name or request.user.get_full_name(),
            tree_label=adoption.tree.label,
            variety=adoption.tree.variety.name,
            started_on=adoption.started_on,
        )
        _certificate_pdfs[adoption.id] = pdf

    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="adoption-{adoption.id}.pdf"'
    return resp
