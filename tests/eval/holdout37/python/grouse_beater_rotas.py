from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Avg, Count, Q, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from .models import BeaterShift, Drive, ShootDay

STATS_CACHE_SECONDS = 15 * 60


def _season_stats(season):
    # Attendance across every shoot day of the season, per beater: days out,
    # drives walked, no-shows, average flankers per drive. Joins shifts,
    # drives and shoot days; takes ~8 s on a full season.
    return list(
        BeaterShift.objects.filter(drive__shoot_day__season=season)
        .values("beater__id", "beater__name")
        .annotate(
            days_out=Count("drive__shoot_day", distinct=True),
            drives=Count("id", filter=Q(attended=True)),
            no_shows=Count("id", filter=Q(attended=False)),
            flags_carried=Sum("flags_issued"),
            avg_line_size=Avg("drive__beaters_needed"),
        )
        .order_by("-days_out", "beater__name")
    )


@login_required
@require_GET
def season_leaderboard(request, season):
    """Keeper's end-of-season board; also pinned on the estate office screen."""
    key = f"beaters:season-stats:{season}"
    stats = cache.get(key)
    if stats is None:
        stats = _season_stats(season)
        cache.set(key, stats, STATS_CACHE_SECONDS)
    return JsonResponse({"season": season, "beaters": stats})


@login_required
@require_POST
def sign_up_for_drive(request, drive_id):
    drive = get_object_or_404(Drive.objects.select_related("shoot_day"), pk=drive_id)
    beater = request.user.beater

    if BeaterShift.objects.filter(drive=drive, beater=beater).exists():
        return JsonResponse({"error": "already on this drive"}, status=409)

    shift = BeaterShift.objects.create(
        drive=drive,
        beater=beater,
        flags_issued=1 if drive.is_flank_drive else 0,
    )
    return JsonResponse(
        {
            "shift_id": shift.id,
            "drive": drive.name,
            "meet": drive.shoot_day.meeting_point,
            "date": drive.shoot_day.date.isoformat(),
        },
        status=201,
    )


@login_required
@require_GET
def day_rota(request, day_id):
    day = get_object_or_404(ShootDay, pk=day_id)
    shifts = (
        BeaterShift.objects.filter(drive__shoot_day=day)
        .select_related("beater", "drive")
        .order_by("drive__order", "beater__name")[:200]
    )
    return JsonResponse(
        {
            "date": day.date.isoformat(),
            "rota": [
                {"drive": s.drive.name, "beater": s.beater.name, "attended": s.attended}
                for s in shifts
            ],
        }
    )
