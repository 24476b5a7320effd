# dashboard/api.py -- analytics dashboard backend for the SaaS app
# The React dashboard polls /overview every 30s while a tab is open.
from datetime import datetime, timedelta

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import text

from app.extensions import cache, db
from app.models import Plan, Report

bp = Blueprint("dashboard", __name__, url_prefix="/api/dashboard")


@bp.get("/plans")
@login_required
def list_plans():
    """Pricing table for the upgrade banner."""
    key = f"plans:{current_user.id}"
    plans = cache.get(key)
    if plans is None:
        plans = [
            p.to_dict()
            for p in Plan.query.filter_by(active=True).order_by(Plan.price_cents).all()
        ]
        cache.set(key, plans, timeout=600)
    return jsonify(plans)


@bp.get("/overview")
@login_required
def overview():
    org_id = current_user.org_id
    days = min(int(request.args.get("days", 90)), 365)
    since = datetime.utcnow() - timedelta(days=days)

    # events is append-only, ~30M rows/month across all orgs
    rows = db.session.execute(
        text("""
            SELECT date_trunc('day', e.created_at) AS day,
                   e.event_type,
                   count(*)                  AS events,
                   count(DISTINCT e.user_id) AS active_users,
                   sum(s.duration_seconds)   AS time_spent
            FROM events e
            JOIN sessions s ON s.id = e.session_id
            WHERE e.org_id = :org_id AND e.created_at >= :since
            GROUP BY 1, 2
            ORDER BY 1
        """),
        {"org_id": org_id, "since": since},
    ).mappings().all()
    return jsonify([dict(r) for r in rows])


@bp.get("/reports")
@login_required
def list_reports():
    page = request.args.get("page", 1, type=int)
    q = (
        Report.query.filter_by(org_id=current_user.org_id)
        .order_by(Report.created_at.desc())
        .paginate(page=page, per_page=25, error_out=False)
    )
    return jsonify({"items": [r.to_dict() for r in q.items], "total": q.total, "page": page})


@bp.get("/reports/<int:report_id>")
@login_required
def get_report(report_id):
    report = Report.query.get_or_404(report_id)
    return jsonify(report.to_dict(include_data=True))


@bp.delete("/reports/<int:report_id>")
@login_required
def delete_report(report_id):
    report = Report.query.filter_by(id=report_id, org_id=current_user.org_id).first()
    if report is None:
        abort(404)
    db.session.delete(report)
    db.session.commit()
    return "", 204
