"""Harbour master's occupancy dashboard (Django).

Shown on the office screen and on the harbour master's phone; it is the
landing page after login.
"""
import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import render
from django.utils import timezone

from .models import Berth, MooringNight

log = logging.getLogger(__name__)

TIDE_API = "https://tides.hydro.example/api/v1/predictions"

OCCUPANCY_SQL = """
    SELECT b.pontoon,
           EXTRACT(MONTH FROM n.night)::int AS month,
           COUNT(*) AS nights,
           COUNT(DISTINCT n.vessel_id) AS vessels,
           SUM(n.fee_cents) AS revenue_cents,
           AVG(n.vessel_length_m) AS avg_length_m,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY n.vessel_length_m) AS p90_length_m,
           COUNT(*)::float / NULLIF(COUNT(DISTINCT b.id) * 30, 0) AS occupancy
      FROM mooring_nights n
      JOIN berths b ON b.id = n.berth_id
     WHERE b.harbour_id = %s
     GROUP BY b.pontoon, month
     ORDER BY b.pontoon, month
"""


def _tide_table(harbour):
    resp = requests.get(
        TIDE_API,
        params={"station": harbour.tide_station, "days": 2, "datum": "CD"},
        headers={"X-Api-Key": settings.TIDE_API_KEY},
    )
    resp.raise_for_status()
    return resp.json()["predictions"]


@login_required
def occupancy_dashboard(request):
    harbour = request.user.harbour_staff.harbour
    today = timezone.localdate()

    # Seasonal pattern per pontoon across all the years we hold data for.
    with connection.cursor() as cur:
        cur.execute(OCCUPANCY_SQL, [harbour.id])
        columns = [c[0] for c in cur.description]
        seasonal = [dict(zip(columns, row)) for row in cur.fetchall()]

    tonight = (
        MooringNight.objects.filter(berth__harbour=harbour, night=today)
        .select_related("berth", "vessel")
        .order_by("berth__pontoon", "berth__number")[:400]
    )
    free_berths = (
        Berth.objects.filter(harbour=harbour, out_of_service=False)
        .exclude(mooring_nights__night=today)
        .order_by("pontoon", "number")
        .values("pontoon", "number", "max_length_m")[:400]
    )
    arriving = MooringNight.objects.filter(
        berth__harbour=harbour, night=today + timedelta(days=1), first_night=True
    ).count()

    return render(
        request,
        "harbour/dashboard.html",
        {
            "harbour": harbour,
            "seasonal": seasonal,
            "tonight": tonight,
            "free_berths": free_berths,
            "arriving_tomorrow": arriving,
            "tides": _tide_table(harbour),
        },
    )
