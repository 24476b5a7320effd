# robes/views.py — cassock & surplice inventory for the cathedral music office.
# Several cathedrals share this deployment; every query is scoped to the
# cathedral of the logged-in member of staff.
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import Chorister, RobeIssue, RobeStock

PAGE_SIZE = 50


def _cathedral(request):
    return request.user.staff_profile.cathedral_id


@login_required
@require_GET
def stock_list(request):
    qs = RobeStock.objects.filter(cathedral_id=_cathedral(request)).order_by("garment", "size_code")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "items": [
                {"garment": s.garment, "size": s.size_code, "available": s.available, "total": s.total}
                for s in page
            ],
            "page": page.number,
            "pages": page.paginator.num_pages,
        }
    )


@login_required
@require_POST
def issue_robe(request, chorister_id, stock_id):
    cathedral_id = _cathedral(request)
    chorister = get_object_or_404(Chorister, pk=chorister_id, cathedral_id=cathedral_id, active=True)

    with transaction.atomic():
        # Decrement only if one is left; the row count tells us whether we got it.
        taken = RobeStock.objects.filter(
            pk=stock_id, cathedral_id=cathedral_id, available__gt=0
        ).update(available=F("available") - 1)
        if taken == 0:
            return JsonResponse({"error": "none left in that size"}, status=409)
        issue = RobeIssue.objects.create(
            cathedral_id=cathedral_id,
            stock_id=stock_id,
            chorister=chorister,
            issued_by=request.user,
            issued_at=timezone.now(),
        )
    return JsonResponse({"issue_id": issue.pk}, status=201)


@login_required
@require_POST
def return_robe(request, issue_id):
    cathedral_id = _cathedral(request)
    with transaction.atomic():
        issue = get_object_or_404(
            RobeIssue.objects.select_for_update(),
            pk=issue_id,
            cathedral_id=cathedral_id,
        )
        if issue.returned_at is not None:
            return JsonResponse({"error": "already returned"}, status=409)
        issue.returned_at = timezone.now()
        issue.needs_laundry = request.POST.get("needs_laundry") == "1"
        issue.save(update_fields=["returned_at", "needs_laundry"])
        RobeStock.objects.filter(pk=issue.stock_id, cathedral_id=cathedral_id).update(
            available=F("available") + 1
        )
    return JsonResponse({"returned": True})


@login_required
@require_GET
def outstanding_for_chorister(request, chorister_id):
    cathedral_id = _cathedral(request)
    issues = (
        RobeIssue.objects.filter(
            cathedral_id=cathedral_id, chorister_id=chorister_id, returned_at__isnull=True
        )
        .select_related("stock")
        .order_by("-issued_at")[:20]
    )
    return JsonResponse(
        {"outstanding": [{"id": i.pk, "garment": i.stock.garment, "size": i.stock.size_code} for i in issues]}
    )
