# Bridal alterations studio: fittings and alteration credit.
# Multi-boutique SaaS; every model carries a `boutique` FK and staff only
# ever see their own boutique's clients.
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse, Http404
from django.views.decorators.http import require_POST

from .models import Client, Fitting, AlterationNote


def _fitting_json(f):
    return {
        "id": f.id,
        "client": f.client.display_name,
        "gown": f.gown_description,
        "scheduled_for": f.scheduled_for.isoformat(),
        "seamstress": f.seamstress.first_name if f.seamstress else None,
        "stage": f.stage,  # first / second / final / collection
    }


@login_required
def upcoming_fittings(request):
    boutique = request.user.staff_profile.boutique
    fittings = (
        Fitting.objects.filter(boutique=boutique, stage__in=["first", "second", "final"])
        .select_related("client", "seamstress")
        .order_by("scheduled_for")[:50]
    )
    return JsonResponse({"fittings": [_fitting_json(f) for f in fittings]})


@login_required
def fitting_detail(request, fitting_id):
    try:
        fitting = Fitting.objects.select_related("client", "seamstress").get(pk=fitting_id)
    except Fitting.DoesNotExist:
        raise Http404
    notes = AlterationNote.objects.filter(
        fitting=fitting, boutique=fitting.boutique
    ).order_by("created_at")[:100]
    data = _fitting_json(fitting)
    data["notes"] = [{"text": n.text, "by": n.author_initials} for n in notes]
    return JsonResponse(data)


@login_required
@require_POST
def apply_alteration_credit(request, client_id):
    """Use part of a client's prepaid alteration credit for a fitting.

    Clients buy a package (e.g. £300 of alterations) up front; each fitting
    draws it down by the seamstress's quoted amount.
    """
    boutique = request.user.staff_profile.boutique
    amount = Decimal(request.POST["amount"])
    if amount <= 0:
        return JsonResponse({"error": "amount must be positive"}, status=400)

    client = Client.objects.get(pk=client_id, boutique=boutique)
    remaining = client.alteration_credit
    if remaining < amount:
        return JsonResponse({"error": "insufficient credit",
                             "remaining": str(remaining)}, status=409)

    with transaction.atomic():
        client.alteration_credit = remaining - amount
        client.save(update_fields=["alteration_credit"])
        AlterationNote.objects.create(
            boutique=boutique,
            text=f"Credit used: £{amount} ({client.display_name})",
            author_initials=request.user.staff_profile.initials,
        )
    return JsonResponse({"remaining": str(client.alteration_credit)})
