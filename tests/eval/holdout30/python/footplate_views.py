# footplate/views.py
# Staff views for the narrow-gauge railway's footplate experience days.
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Sum
from django.db.models.functions import TruncMonth
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from .models import Booking, FootplateExperience

LIVE_STATUSES = ("confirmed", "completed")


@staff_member_required
def operations_dashboard(request):
    """The roster team opens this every morning to plan crews and coal."""
    monthly = (
        Booking.objects.filter(status__in=LIVE_STATUSES)
        .values("experience__locomotive__name", month=TruncMonth("experience__run_date"))
        .annotate(riders=Count("id"), revenue=Sum("price_paid"), rating=Avg("feedback__rating"))
        .order_by("-month", "experience__locomotive__name")
    )
    upcoming = (
        FootplateExperience.objects.filter(run_date__gte=request.GET.get("from") or "2000-01-01")
        .select_related("locomotive", "driver")
        .order_by("run_date")[:20]
    )
    return render(
        request,
        "footplate/dashboard.html",
        {"monthly": list(monthly), "upcoming": upcoming},
    )


@staff_member_required
def experience_bookings(request, experience_id: int):
    """Paged list of who is riding on one experience day."""
    experience = get_object_or_404(FootplateExperience, pk=experience_id)
    qs = (
        Booking.objects.filter(experience=experience)
        .select_related("customer")
        .order_by("created_at")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "footplate/experience_bookings.html",
        {"experience": experience, "page": page},
    )


@staff_member_required
def bookings_export(request):
    """JSON feed the office spreadsheet pulls in for the season report."""
    rows = Booking.objects.select_related("experience", "customer").values("id", "status", "price_paid", "experience__run_date", "experience__locomotive__name", "customer__email", "customer__full_name")
    return JsonResponse({"bookings": list(rows)}, json_dumps_params={"default": str})


@staff_member_required
def experience_detail_json(request, experience_id: int):
    exp = get_object_or_404(
        FootplateExperience.objects.select_related("locomotive", "driver", "fireman"),
        pk=experience_id,
    )
    return JsonResponse(
        {
            "id": exp.pk,
            "run_date": exp.run_date.isoformat(),
            "locomotive": exp.locomotive.name,
            "driver": exp.driver.get_full_name() if exp.driver else None,
            "fireman": exp.fireman.get_full_name() if exp.fireman else None,
            "seats": exp.seats,
            "seats_booked": exp.bookings.filter(status__in=LIVE_STATUSES).count(),
        }
    )
