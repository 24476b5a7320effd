# hives/views.py -- beekeeping club app: member dashboard + hive detail
# Flask-Caching is configured with CACHE_TYPE="RedisCache" in config.py
from datetime import date

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import extract, func, select

from .extensions import cache, db
from .models import Apiary, BloomWindow, Hive, Inspection, InspectionPhoto

bp = Blueprint("hives", __name__)


def _bloom_calendar(region):
    # ~40 rows per region: what's flowering when (forage planning)
    stmt = (
        select(BloomWindow)
        .where(BloomWindow.region == region)
        .order_by(BloomWindow.starts_doy)
    )
    return [b.to_dict() for b in db.session.scalars(stmt)]


def _regional_mite_stats(region):
    # monthly varroa wash averages across every hive in the region (millions of inspections)
    month = func.date_trunc("month", Inspection.inspected_at).label("month")
    stmt = (
        select(month, func.avg(Inspection.mites_per_100).label("avg_mites"), func.count().label("n"))
        .join(Hive, Hive.id == Inspection.hive_id)
        .join(Apiary, Apiary.id == Hive.apiary_id)
        .where(Apiary.region == region, Inspection.mites_per_100.is_not(None))
        .group_by(month)
        .order_by(month)
    )
    return [dict(r._mapping) for r in db.session.execute(stmt)]


def _attach_photos(inspections):
    for insp in inspections:
        insp.photo_list = db.session.scalars(
            select(InspectionPhoto)
            .where(InspectionPhoto.inspection_id == insp.id)
            .order_by(InspectionPhoto.taken_at)
        ).all()
    return inspections


@bp.route("/dashboard")
@login_required
def dashboard():
    region = current_user.region

    cache_key = f"bloom:{current_user.id}:{region}"
    bloom = cache.get(cache_key)
    if bloom is None:
        bloom = _bloom_calendar(region)
        cache.set(cache_key, bloom, timeout=24 * 3600)

    stats_key = f"mites:{region}"
    mite_stats = cache.get(stats_key)
    if mite_stats is None:
        mite_stats = _regional_mite_stats(region)
        cache.set(stats_key, mite_stats, timeout=600)

    recent = db.session.scalars(
        select(Inspection)
        .join(Hive, Hive.id == Inspection.hive_id)
        .join(Apiary, Apiary.id == Hive.apiary_id)
        .where(Apiary.owner_id == current_user.id)
        .order_by(Inspection.inspected_at.desc())
        .limit(10)
    ).all()
    return render_template("dashboard.html", bloom=bloom, mite_stats=mite_stats, recent=recent)


@bp.route("/hives/<int:hive_id>")
@login_required
def hive_detail(hive_id):
    hive = db.session.scalar(
        select(Hive).join(Apiary).where(Hive.id == hive_id, Apiary.owner_id == current_user.id)
    )
    if hive is None:
        abort(404)
    season = db.session.scalars(
        select(Inspection)
        .where(Inspection.hive_id == hive.id, extract("year", Inspection.inspected_at) == date.today().year)
        .order_by(Inspection.inspected_at.desc())
    ).all()
    return render_template("hive.html", hive=hive, inspections=_attach_photos(season))
