# trials/views/results.py
#
# Public results pages for the sheepdog trials society. The season table ranks
# every handler/dog pair on points across all open and nursery trials so far;
# the trial page also shows the conditions on the field for the day. Both are
# linked from the society's Facebook page after every trial.
from django.conf import settings
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.shortcuts import get_object_or_404, render

import requests

from trials.models import Run, Season, Trial


def season_table(request, season_year):
    season = get_object_or_404(Season, year=season_year)
    course = request.GET.get("course", "open")  # open | nursery

    standings = (
        Run.objects.filter(trial__season=season, trial__course=course, disqualified=False)
        .values("handler_id", "handler__name", "dog_id", "dog__name", "dog__registration_no")
        .annotate(total_points=Sum("points"), runs=Count("id"), best_run=Max("points"), avg_outrun=Avg("outrun_points"), avg_pen=Avg("pen_points"), wins=Count("id", filter=Q(placing=1)))
        .order_by("-total_points", "-best_run", "handler__name")
    )

    return render(
        request,
        "trials/season_table.html",
        {
            "season": season,
            "course": course,
            "standings": standings[:100],
        },
    )


def _field_conditions(trial: Trial) -> dict:
    resp = requests.get(
        f"{settings.WEATHER_API}/current",
        params={"lat": trial.field_lat, "lon": trial.field_lon, "units": "metric"},
        headers={"X-Api-Key": settings.WEATHER_API_KEY},
    )
    resp.raise_for_status()
    data = resp.json()
    return {
        "wind_mph": round(data["wind"]["speed"] * 2.237),
        "wind_dir": data["wind"]["deg"],
        "summary": data["weather"][0]["description"],
    }


def trial_results(request, trial_id):
    trial = get_object_or_404(Trial.objects.select_related("season", "host_farm"), pk=trial_id)
    runs = (
        Run.objects.filter(trial=trial)
        .select_related("handler", "dog")
        .annotate(
            course_total=F("outrun_points") + F("lift_points") + F("fetch_points")
            + F("drive_points") + F("pen_points") + F("shed_points")
        )
        .order_by("placing", "running_order")[:150]
    )

    return render(
        request,
        "trials/trial_results.html",
        {
            "trial": trial,
            "runs": runs,
            "conditions": _field_conditions(trial) if trial.is_today else None,
        },
    )
