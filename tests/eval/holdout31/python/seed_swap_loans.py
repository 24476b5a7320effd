# seedlibrary/views.py
# Seed-swap library network: members borrow a packet, grow it out, and return
# saved seed at the end of the season. Several town libraries share the site,
# and members only see the library they joined.
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from seedlibrary.models import Loan, SeedVariety


@login_required
@require_POST
def borrow_packet(request, variety_id):
    library = request.user.member.library

    with transaction.atomic():
        # decrement only if a packet is left; the row count tells us whether we got one
        claimed = SeedVariety.objects.filter(
            pk=variety_id,
            library=library,
            packets_available__gt=0,
        ).update(packets_available=F("packets_available") - 1)

        if claimed == 0:
            return JsonResponse({"error": "no packets left of that variety"}, status=409)

        loan = Loan.objects.create(
            library=library,
            variety_id=variety_id,
            member=request.user.member,
            borrowed_on=timezone.localdate(),
        )

    return JsonResponse({"loan_id": loan.pk, "status": "borrowed"}, status=201)


@login_required
@require_POST
def return_seed(request, loan_id):
    member = request.user.member
    grams = float(request.POST.get("grams_returned", "0"))

    with transaction.atomic():
        loan = get_object_or_404(
            Loan.objects.select_for_update(),
            pk=loan_id,
            library=member.library,
            member=member,
        )
        if loan.returned_on is not None:
            return JsonResponse({"status": "already returned"})
        loan.returned_on = timezone.localdate()
        loan.grams_returned = grams
        loan.save(update_fields=["returned_on", "grams_returned"])

        SeedVariety.objects.filter(pk=loan.variety_id, library=member.library).update(
            packets_available=F("packets_available") + 1,
            grams_in_stock=F("grams_in_stock") + grams,
        )

    return JsonResponse({"status": "returned"})


@login_required
@require_GET
def my_loans(request):
    member = request.user.member
    loans = (
        Loan.objects.filter(library=member.library, member=member)
        .select_related("variety")
        .order_by("-borrowed_on")
    )
    page = Paginator(loans, 20).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "page": page.number,
            "pages": page.paginator.num_pages,
            "loans": [
                {
                    "id": loan.pk,
                    "variety": loan.variety.name,
                    "borrowed_on": loan.borrowed_on.isoformat(),
                    "returned_on": loan.returned_on.isoformat() if loan.returned_on else None,
                }
                for loan in page.object_list
            ],
        }
    )
