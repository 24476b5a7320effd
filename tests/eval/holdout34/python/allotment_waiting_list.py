# allotments/views.py
#
# Waiting lists for the parish councils on the shared allotments portal.
# Each council (Parish) only ever sees its own sites, plots and applicants.
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from .models import Applicant, Plot, Site, WaitingListEntry


@login_required
def waiting_list(request):
    parish = request.user.clerk_profile.parish
    entries = (
        WaitingListEntry.objects.filter(parish=parish, offered_at__isnull=True)
        .select_related("applicant", "preferred_site")
        .order_by("joined_at")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "allotments/waiting_list.html", {"page": page})


@login_required
def applicant_position(request, applicant_id):
    """Where an applicant sits in the queue for the plot size they asked for."""
    parish = request.user.clerk_profile.parish
    applicant = get_object_or_404(Applicant, pk=applicant_id, parish=parish)
    entry = get_object_or_404(WaitingListEntry, applicant=applicant, offered_at__isnull=True)

    ahead = WaitingListEntry.objects.filter(
        plot_size=entry.plot_size,
        offered_at__isnull=True,
        joined_at__lt=entry.joined_at,
    ).count()

    return JsonResponse(
        {
            "applicant": applicant.full_name,
            "plot_size": entry.plot_size,
            "position": ahead + 1,
        }
    )


@login_required
def clerk_dashboard(request):
    """Landing page for the parish clerk after login.

    Shows site occupancy and how long people have waited, month by month,
    since the paper lists were typed in (some parishes go back to 1987).
    """
    parish = request.user.clerk_profile.parish

    sites = Site.objects.filter(parish=parish).annotate(
        plots_total=Count("plots"),
        plots_vacant=Count("plots", filter=Q(plots__tenant__isnull=True)),
    ).order_by("name")

    wait_stats = (
        WaitingListEntry.objects.filter(parish=parish, offered_at__isnull=False)
        .annotate(month=TruncMonth("joined_at"))
        .values("month", "plot_size")
        .annotate(
            offered=Count("id"),
            avg_wait=Avg(ExpressionWrapper(F("offered_at") - F("joined_at"), output_field=DurationField())),
        )
        .order_by("month", "plot_size")
    )

    vacant_plots = (
        Plot.objects.filter(site__parish=parish, tenant__isnull=True)
        .select_related("site")
        .order_by("site__name", "number")[:20]
    )

    return render(
        request,
        "allotments/dashboard.html",
        {
            "sites": sites,
            "wait_stats": list(wait_stats),
            "vacant_plots": vacant_plots,
        },
    )
