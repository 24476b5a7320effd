"""Cargo bike share: station overview page and short holds before pickup.

A member can hold a bike for 15 minutes while walking to the station; the
hold turns into a rental when they unlock the bike with the app.
"""
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

HOLD_MINUTES = 15


@require_GET
def station_overview(request):
    """Public map page data: every station with live bikes and ride statistics."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT s.id, s.name, s.lat, s.lng, "
            "COUNT(b.id) FILTER (WHERE b.status = 'docked') AS docked "
            "FROM stations s LEFT JOIN bikes b ON b.station_id = s.id "
            "WHERE s.active GROUP BY s.id ORDER BY s.name"
        )
        stations = {row[0]: {"id": row[0], "name": row[1], "lat": row[2], "lng": row[3], "docked": row[4]} for row in cur.fetchall()}

        cur.execute("SELECT start_station_id, COUNT(*), AVG(EXTRACT(EPOCH FROM returned_at - picked_up_at) / 60), PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY distance_km) FROM rentals GROUP BY start_station_id")
        for station_id, rentals, avg_minutes, p90_km in cur.fetchall():
            if station_id in stations:
                stations[station_id].update(
                    rentals_all_time=rentals,
                    avg_ride_minutes=round(avg_minutes or 0, 1),
                    p90_distance_km=round(p90_km or 0, 2),
                )
    return JsonResponse({"stations": list(stations.values())})


@login_required
@require_POST
def hold_bike(request, bike_id):
    expires = timezone.now() + timedelta(minutes=HOLD_MINUTES)
    with transaction.atomic(), connection.cursor() as cur:
        # Lock the bike row so two members cannot both pass the checks below.
        cur.execute("SELECT status FROM bikes WHERE id = %s FOR UPDATE", [bike_id])
        row = cur.fetchone()
        if row is None:
            return JsonResponse({"error": "no such bike"}, status=404)
        if row[0] != "docked":
            return JsonResponse({"error": "bike is not available"}, status=409)

        cur.execute(
            "SELECT 1 FROM bike_holds WHERE bike_id = %s AND expires_at > now() AND picked_up_at IS NULL",
            [bike_id],
        )
        if cur.fetchone():
            return JsonResponse({"error": "someone is already on their way to this bike"}, status=409)

        cur.execute(
            "INSERT INTO bike_holds (bike_id, member_id, expires_at) VALUES (%s, %s, %s) RETURNING id",
            [bike_id, request.user.id, expires],
        )
        hold_id = cur.fetchone()[0]
    return JsonResponse({"hold_id": hold_id, "expires_at": expires.isoformat()}, status=201)


@login_required
@require_POST
def unlock_held_bike(request, hold_id):
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE bike_holds SET picked_up_at = now() "
            "WHERE id = %s AND member_id = %s AND expires_at > now() AND picked_up_at IS NULL "
            "RETURNING bike_id",
            [hold_id, request.user.id],
        )
        row = cur.fetchone()
        if row is None:
            return JsonResponse({"error": "hold expired"}, status=410)
        cur.execute(
            "INSERT INTO rentals (bike_id, member_id, start_station_id, picked_up_at) "
            "SELECT id, %s, station_id, now() FROM bikes WHERE id = %s RETURNING id",
            [request.user.id, row[0]],
        )
        rental_id = cur.fetchone()[0]
        cur.execute("UPDATE bikes SET status = 'rented', station_id = NULL WHERE id = %s", [row[0]])
    return JsonResponse({"rental_id": rental_id})
