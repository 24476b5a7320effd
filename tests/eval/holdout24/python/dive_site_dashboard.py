# divelog/views/sites.py
#
# Public pages of the dive-site log: per-site conditions summary and the
# "compare sites" league table linked from the home page.
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from divelog.models import DiveLog, DiveSite

SITE_STATS_TTL = 15 * 60


def _conditions_summary(site: DiveSite) -> dict:
    """Visibility / temperature / current stats from every logged dive at a site."""
    year_ago = timezone.now() - timedelta(days=365)
    qs = DiveLog.objects.filter(site=site)
    return {
        "all_time": qs.aggregate(
            dives=Count("id"),
            avg_vis_m=Avg("visibility_m"),
            avg_temp_c=Avg("bottom_temp_c"),
            max_depth_m=Max("max_depth_m"),
        ),
        "last_12_months": qs.filter(dived_at__gte=year_ago).aggregate(
            dives=Count("id"),
            avg_vis_m=Avg("visibility_m"),
            strong_current=Count("id", filter=Q(current="strong")),
        ),
        "by_month": list(
            qs.values("dived_at__month")
            .annotate(avg_vis_m=Avg("visibility_m"), avg_temp_c=Avg("bottom_temp_c"), dives=Count("id"))
            .order_by("dived_at__month")
        ),
    }


def site_detail(request, slug):
    site = get_object_or_404(DiveSite, slug=slug, published=True)

    key = f"site-stats:{site.pk}"
    stats = cache.get(key)
    if stats is None:
        stats = _conditions_summary(site)
        cache.set(key, stats, SITE_STATS_TTL)

    recent = (
        DiveLog.objects.filter(site=site, public=True)
        .select_related("diver")
        .order_by("-dived_at")[:20]
    )
    return render(request, "divelog/site_detail.html", {"site": site, "stats": stats, "recent": recent})


def compare_sites(request):
    """League table: every published site ranked by average visibility."""
    region = request.GET.get("region")
    sites = DiveSite.objects.filter(published=True)
    if region:
        sites = sites.filter(region__iexact=region)

    table = (
        sites.annotate(
            dives=Count("logs"),
            avg_vis_m=Avg("logs__visibility_m"),
            avg_temp_c=Avg("logs__bottom_temp_c"),
            deepest_m=Max("logs__max_depth_m"),
            last_dived=Max("logs__dived_at"),
        )
        .filter(dives__gte=5)
        .order_by("-avg_vis_m")[:50]
    )
    return render(request, "divelog/compare_sites.html", {"table": table, "region": region})
