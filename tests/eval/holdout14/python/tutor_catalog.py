from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import func

from .extensions import cache, db
from .models import Booking, Review, Subject, Tutor

bp = Blueprint("catalog", __name__, url_prefix="/api")


def _subject_node(s):
    return {"id": s.id, "name": s.name, "parent_id": s.parent_id, "slug": s.slug}


@bp.get("/subjects")
@login_required
@cache.cached(timeout=600, key_prefix=lambda: f"subjects:{current_user.id}")
def list_subjects():
    """Whole subject tree for the search sidebar (Maths > GCSE > Algebra ...)."""
    subjects = Subject.query.filter_by(active=True).order_by(Subject.parent_id, Subject.name).all()
    return jsonify([_subject_node(s) for s in subjects])


@bp.get("/tutors")
def search_tutors():
    subject_id = request.args.get("subject", type=int)
    max_rate = request.args.get("max_rate", type=int)
    page = request.args.get("page", 1, type=int)

    q = Tutor.query.filter(Tutor.active.is_(True))
    if subject_id:
        q = q.filter(Tutor.subjects.any(Subject.id == subject_id))
    if max_rate:
        q = q.filter(Tutor.hourly_rate_cents <= max_rate * 100)

    result = q.order_by(Tutor.rating.desc(), Tutor.id).paginate(page=page, per_page=20, error_out=False)
    return jsonify({
        "items": [t.to_card() for t in result.items],
        "page": result.page,
        "pages": result.pages,
    })


@bp.get("/tutors/<int:tutor_id>/reviews")
def tutor_reviews(tutor_id):
    reviews = (
        Review.query.filter_by(tutor_id=tutor_id, hidden=False)
        .order_by(Review.created_at.desc())
        .all()
    )
    return jsonify([r.to_dict() for r in reviews])


@bp.get("/me/bookings/upcoming")
@login_required
def my_upcoming_bookings():
    key = f"upcoming:{current_user.id}"
    data = cache.get(key)
    if data is None:
        rows = (
            Booking.query.filter(
                Booking.student_id == current_user.id,
                Booking.starts_at >= func.now(),
                Booking.status == "confirmed",
            )
            .order_by(Booking.starts_at)
            .limit(20)
            .all()
        )
        data = [b.to_dict() for b in rows]
        cache.set(key, data, timeout=60)
    return jsonify(data)


@bp.post("/me/bookings/<int:booking_id>/cancel")
@login_required
def cancel_booking(booking_id):
    updated = Booking.query.filter(
        Booking.id == booking_id,
        Booking.student_id == current_user.id,
        Booking.status == "confirmed",
    ).update({"status": "cancelled"}, synchronize_session=False)
    db.session.commit()
    if not updated:
        return jsonify(error="not found or already cancelled"), 404
    cache.delete(f"upcoming:{current_user.id}")
    return jsonify(ok=True)
