# permits/fees.py -- fee estimates and exports for the applicant portal
# gunicorn -w 4 --threads 4 permits.wsgi:app  (3 instances behind the city LB)
import threading
from functools import lru_cache

from cachetools import TTLCache
from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user, login_required

from permits.db import db
from permits.models import ExportJob, FeeSchedule, PermitType, Parcel
from permits.tasks import build_export

bp = Blueprint("fees", __name__)

# Static reference data: loaded once when the app starts, never written afterwards.
PERMIT_TYPES: dict[str, dict] = {}


def load_reference_data(app):
    with app.app_context():
        for pt in PermitType.query.all():
            PERMIT_TYPES[pt.code] = {"name": pt.name, "base_fee_cents": pt.base_fee_cents,
                                     "per_sqft_cents": pt.per_sqft_cents}


@lru_cache(maxsize=1024)
def zoning_multiplier(zone_code: str) -> float:
    # Pure function of the zone code (table in code, not DB)
    table = {"R1": 1.0, "R2": 1.1, "C1": 1.5, "C2": 1.8, "I1": 2.2}
    return table.get(zone_code[:2].upper(), 1.25)


_schedule_cache: TTLCache = TTLCache(maxsize=64, ttl=300)
_schedule_lock = threading.Lock()


def current_schedule(municipality_id: int) -> dict:
    # cachetools caches aren't thread-safe, and the lock also means one DB read per refresh
    with _schedule_lock:
        sched = _schedule_cache.get(municipality_id)
        if sched is None:
            row = FeeSchedule.query.filter_by(municipality_id=municipality_id, active=True).one()
            sched = {"surcharge_pct": row.surcharge_pct, "tech_fee_cents": row.tech_fee_cents}
            _schedule_cache[municipality_id] = sched
    return sched


@bp.get("/fees/estimate")
@login_required
def estimate():
    pt = PERMIT_TYPES.get(request.args.get("type", ""))
    if pt is None:
        abort(400, "unknown permit type")
    parcel = Parcel.query.filter_by(id=request.args.get("parcel_id", type=int),
                                    municipality_id=current_user.municipality_id).first_or_404()
    sqft = request.args.get("sqft", 0, type=int)
    sched = current_schedule(current_user.municipality_id)
    base = pt["base_fee_cents"] + pt["per_sqft_cents"] * sqft
    total = int(base * zoning_multiplier(parcel.zone_code) * (1 + sched["surcharge_pct"] / 100))
    return jsonify(permit_type=pt["name"], total_cents=total + sched["tech_fee_cents"])


@bp.post("/exports")
@login_required
def start_export():
    job = ExportJob(municipality_id=current_user.municipality_id,
                    requested_by=current_user.id, status="queued")
    db.session.add(job)
    db.session.commit()
    build_export.delay(job.id)
    return jsonify(job_id=job.id, status_url=url_for("fees.export_status", job_id=job.id)), 202


@bp.get("/exports/<int:job_id>")
@login_required
def export_status(job_id):
    job = ExportJob.query.filter_by(id=job_id,
                                    municipality_id=current_user.municipality_id).first_or_404()
    return jsonify(status=job.status, download_url=job.download_url)
