"""Route planning for the county's mobile library vans.

Each van visits 30-45 village stops on a fortnightly loop. The transport
officer re-plans when stops are added or moved.
"""
import math
import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from flask import Blueprint, jsonify

from .db import db
from .models import RoutePlan, VanStop

bp = Blueprint("vans", __name__, url_prefix="/vans")

RESTARTS = 8


def _haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _distance_matrix(points):
    return [[_haversine_km(p, q) for q in points] for p in points]


def _tour_length(matrix, tour):
    return sum(matrix[tour[i - 1]][tour[i]] for i in range(len(tour)))


def _two_opt(matrix, seed):
    """Randomised 2-opt from a shuffled start; depot (index 0) stays first."""
    rng = random.Random(seed)
    tour = [0] + rng.sample(range(1, len(matrix)), len(matrix) - 1)
    improved = True
    while improved:
        improved = False
        for i in range(1, len(tour) - 1):
            for j in range(i + 1, len(tour)):
                candidate = tour[:i] + tour[i:j][::-1] + tour[j:]
                if _tour_length(matrix, candidate) < _tour_length(matrix, tour):
                    tour, improved = candidate, True
    return _tour_length(matrix, tour), tour


def best_route(depot, stops):
    points = [depot] + [(s.lat, s.lon) for s in stops]
    matrix = _distance_matrix(points)
    with ThreadPoolExecutor(max_workers=RESTARTS) as pool:
        results = list(pool.map(partial(_two_opt, matrix), range(RESTARTS)))
    length, tour = min(results)
    return length, [stops[i - 1].id for i in tour[1:]]


def _save_plan(existing, van_id, length_km, stop_ids):
    plan = existing.get(van_id) or RoutePlan(van_id=van_id)
    plan.length_km = round(length_km, 1)
    plan.stop_order = stop_ids
    db.session.add(plan)


@bp.get("/<int:van_id>/route")
def current_route(van_id):
    plan = RoutePlan.query.filter_by(van_id=van_id).first_or_404()
    return jsonify(van_id=van_id, length_km=plan.length_km, stops=plan.stop_order)


@bp.post("/replan-all")
def replan_all_vans():
    # About 20 vans across the county; each optimisation takes 20-40 s.
    stops = VanStop.query.filter_by(active=True).order_by(VanStop.van_id).all()
    by_van = defaultdict(list)
    for stop in stops:
        by_van[stop.van_id].append(stop)

    existing = {p.van_id: p for p in RoutePlan.query.filter(RoutePlan.van_id.in_(list(by_van)))}

    summary = {}
    for van_id, van_stops in by_van.items():
        depot = (van_stops[0].depot_lat, van_stops[0].depot_lon)
        length_km, order = best_route(depot, van_stops)
        _save_plan(existing, van_id, length_km, order)
        summary[van_id] = round(length_km, 1)
    db.session.commit()
    return jsonify(replanned=summary)
