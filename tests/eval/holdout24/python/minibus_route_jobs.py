"""School minibus route planning.

Re-planning a term's routes (pick-up order, which minibus takes which
pupils) takes a few minutes of solver time, so the web endpoint only queues
the work; the office page polls the job until it is done.
Web: gunicorn -w 4 on two VMs. Workers: celery -A routes worker -Q planning.
"""
import math
import uuid

from celery import Celery
from flask import Blueprint, abort, jsonify, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .db import SessionLocal
from .models import Minibus, PupilStop, RoutePlan
from .solver import solve_vrp

celery_app = Celery("routes", broker="redis://redis:6379/3", backend="redis://redis:6379/4")
bp = Blueprint("routes", __name__)


def haversine_km(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@celery_app.task(bind=True, acks_late=True, time_limit=1200)
def plan_routes(self, school_id: int, term: str, plan_id: str):
    with SessionLocal() as session:
        buses = session.scalars(
            select(Minibus).where(Minibus.school_id == school_id, Minibus.in_service)
        ).all()
        stops = session.scalars(
            select(PupilStop).where(PupilStop.school_id == school_id, PupilStop.term == term)
        ).all()

        points = [(s.lat, s.lon) for s in stops]
        matrix = [[haversine_km(p, q) for q in points] for p in points]
        solution = solve_vrp(
            matrix,
            capacities=[b.seats for b in buses],
            demands=[s.pupil_count for s in stops],
        )

        plan = session.get(RoutePlan, plan_id)
        plan.result = {
            buses[i].registration: [stops[j].id for j in route] for i, route in enumerate(solution.routes)
        }
        plan.total_km = round(solution.cost, 1)
        plan.status = "done"
        session.commit()
    return plan_id


@bp.post("/schools/<int:school_id>/terms/<term>/plan")
@login_required
def request_plan(school_id: int, term: str):
    if current_user.school_id != school_id:
        abort(403)
    plan_id = uuid.uuid4().hex
    with SessionLocal() as session:
        session.add(RoutePlan(id=plan_id, school_id=school_id, term=term, status="queued",
                              requested_by=current_user.id))
        session.commit()
    plan_routes.apply_async(args=(school_id, term, plan_id), queue="planning")
    status_url = url_for("routes.plan_status", plan_id=plan_id)
    return jsonify({"plan_id": plan_id, "status_url": status_url}), 202, {"Location": status_url}


@bp.get("/plans/<plan_id>")
@login_required
def plan_status(plan_id: str):
    with SessionLocal() as session:
        plan = session.scalar(
            select(RoutePlan).where(RoutePlan.id == plan_id, RoutePlan.school_id == current_user.school_id)
        )
    if plan is None:
        abort(404)
    body = {"plan_id": plan.id, "status": plan.status}
    if plan.status == "done":
        body.update(total_km=plan.total_km, routes=plan.result)
    return jsonify(body)
