"""Dial-a-ride: weekly rota builder for the community minibus scheme.

The scheduler button on the coordinator screen calls POST /rota/rebuild.
It loads next week's trip requests, runs the route optimiser over the
minibuses and drivers, then saves the rota so drivers see it in the app.
"""
import os
from datetime import date, timedelta

import psycopg2
import psycopg2.extras
from flask import Flask, g, jsonify, request

from .optimiser import RotaProblem, anneal_routes

app = Flask(__name__)
DSN = os.environ["DIALARIDE_DSN"]


def _next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


@app.post("/rota/rebuild")
def rebuild_rota():
    operator_id = g.coordinator.operator_id
    week_start = _next_monday(date.today())
    week_end = week_start + timedelta(days=7)

    conn = psycopg2.connect(DSN, connect_timeout=5)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(
                """
                SELECT id, passenger_id, pickup_lat, pickup_lon, drop_lat, drop_lon,
                       earliest_pickup, latest_arrival, wheelchair
                FROM trip_requests
                WHERE operator_id = %s AND travel_date >= %s AND travel_date < %s
                  AND status = 'requested'
                ORDER BY earliest_pickup
                LIMIT 600
                """,
                (operator_id, week_start, week_end),
            )
            trips = cur.fetchall()

            cur.execute(
                "SELECT id, seats, wheelchair_bays, depot_lat, depot_lon "
                "FROM minibuses WHERE operator_id = %s AND in_service",
                (operator_id,),
            )
            buses = cur.fetchall()

        problem = RotaProblem(trips=trips, vehicles=buses, max_ride_minutes=75)
        # Simulated annealing over pickup order; more iterations give tighter
        # rotas, the coordinators said they'd rather wait for a good one.
        rota = anneal_routes(problem, iterations=int(request.args.get("iterations", 400_000)))

        with conn.cursor() as cur:
            cur.execute(
                "DELETE FROM rota_legs WHERE operator_id = %s AND week_start = %s",
                (operator_id, week_start),
            )
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO rota_legs (operator_id, week_start, bus_id, trip_id, seq, eta) VALUES %s",
                [
                    (operator_id, week_start, leg.bus_id, leg.trip_id, leg.seq, leg.eta)
                    for leg in rota.legs
                ],
            )
        conn.commit()
    finally:
        conn.close()

    return jsonify(
        week_start=week_start.isoformat(),
        trips_scheduled=len(rota.legs),
        unplaced=[t["id"] for t in rota.unplaced],
        total_miles=round(rota.total_miles, 1),
    )
