from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import PruningDay, TreeAssignment


@login_required
def pruning_days(request):
    """Upcoming pruning days for the volunteer's own community orchard."""
    orchard = request.user.volunteer.orchard
    qs = (
        PruningDay.objects.filter(orchard=orchard, date__gte=timezone.localdate())
        .select_related("lead_volunteer", "orchard")
        .annotate(
            signed_up=Count("signups", filter=Q(signups__cancelled=False))
        )
        .order_by("date")
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "orchard/pruning_days.html", {"page": page})


@login_required
def pruning_day_detail(request, day_id):
    orchard = request.user.volunteer.orchard
    day = get_object_or_404(
        PruningDay.objects.select_related("lead_volunteer"),
        pk=day_id,
        orchard=orchard,
    )
    # One query for every tree on the rota, with variety and the assigned
    # volunteer joined in, instead of touching each FK in the template.
    assignments = (
        TreeAssignment.objects.filter(day=day, day__orchard=orchard)
        .select_related("tree__variety", "volunteer__user")
        .order_by("tree__row", "tree__position")[:200]
    )
    return render(
        request,
        "orchard/pruning_day_detail.html",
        {"day": day, "assignments": assignments},
    )


@login_required
def my_trees(request):
    volunteer = request.user.volunteer
    trees = (
        TreeAssignment.objects.filter(
            volunteer=volunteer, day__orchard=volunteer.orchard
        )
        .select_related("tree__variety", "day")
        .prefetch_related("tree__notes")
        .order_by("-day__date")
    )
    page = Paginator(trees, 30).get_page(request.GET.get("page"))
    return render(request, "orchard/my_trees.html", {"page": page})
