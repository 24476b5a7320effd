# hr-portal: payroll exports + employee self-service
# gunicorn -w 4 (3 instances); exports run on the celery "reports" queue
import uuid

from flask import Blueprint, abort, g, jsonify, request, url_for
from sqlalchemy import text

from .auth import login_required, require_role
from .cache import redis_cache
from .db import engine
from .tasks import build_payroll_export

bp = Blueprint("payroll_export", __name__, url_prefix="/api")

PAGE_MAX = 200


@bp.post("/payroll/exports")
@login_required
@require_role("payroll_admin")
def start_export():
    job_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO export_jobs (id, org_id, requested_by, status) VALUES (:id, :org, :uid, 'queued')"),
            {"id": job_id, "org": g.org_id, "uid": g.user_id},
        )
    build_payroll_export.delay(job_id, g.org_id, request.json.get("year"))
    return jsonify({"job_id": job_id, "status_url": url_for(".export_status", job_id=job_id)}), 202


@bp.get("/payroll/exports/<job_id>")
@login_required
def export_status(job_id):
    with engine.connect() as conn:
        job = conn.execute(
            text("SELECT id, status, download_url FROM export_jobs WHERE id = :id AND org_id = :org"),
            {"id": job_id, "org": g.org_id},
        ).mappings().first()
    if job is None:
        abort(404)
    return jsonify(dict(job))


@bp.get("/me/payslips")
@login_required
def my_payslips():
    """Employee self-service: my own payslips, cached per user for 5 minutes."""
    cache_key = f"payslips:{g.org_id}:{g.user_id}"
    cached = redis_cache.get_json(cache_key)
    if cached is not None:
        return jsonify(cached)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, period_label, net_amount, pdf_url FROM payslips "
                "WHERE org_id = :org AND employee_id = :emp ORDER BY period_start DESC LIMIT 36"
            ),
            {"org": g.org_id, "emp": g.employee_id},
        ).mappings().all()
    data = [dict(r) for r in rows]
    redis_cache.set_json(cache_key, data, ttl=300)
    return jsonify(data)


@bp.get("/employees")
@login_required
@require_role("hr")
def list_employees():
    after = request.args.get("after", 0, type=int)
    limit = min(request.args.get("limit", 50, type=int), PAGE_MAX)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, full_name, department_id, country_code FROM employees "
                "WHERE org_id = :org AND id > :after ORDER BY id LIMIT :limit"
            ),
            {"org": g.org_id, "after": after, "limit": limit},
        ).mappings().all()
    items = [dict(r) for r in rows]
    return jsonify({"items": items, "next_after": items[-1]["id"] if len(items) == limit else None})


@bp.get("/tax-tables/<int:table_id>")
@login_required
def tax_table(table_id):
    # tax_tables is global reference data (one row per country/year), no org column
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT id, country_code, year, brackets FROM tax_tables WHERE id = :id"),
            {"id": table_id},
        ).mappings().first()
    if row is None:
        abort(404)
    return jsonify(dict(row))
