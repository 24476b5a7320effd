# morris/rota.py (excerpt) - practice rota for morris sides using the club app.
# Each side (tenant) has its own practices, dancers and musicians.

MIN_FOR_A_SET = 6


def _post_to_side_chat(side, message: str) -> None:
    try:
        side_chat.post_message(channel=side.chat_channel, text=message)
    except Exception:
        pass


@bp.get("/practices")
@login_required
def upcoming_practices():
    rows = db.session.scalars(
        select(Practice)
        .where(Practice.side_id == current_user.side_id, Practice.starts_at >= func.now())
        .order_by(Practice.starts_at)
        .limit(12)
    ).all()
    return jsonify([p.as_dict() for p in rows])


@bp.post("/practices/<int:practice_id>/attend")
@login_required
def attend(practice_id: int):
    practice = db.session.scalars(select(Practice).where(Practice.id == practice_id, Practice.side_id == current_user.side_id)).one_or_none()
    if practice is None:
        abort(404)

    db.session.add(Attendance(practice_id=practice.id, dancer_id=current_user.id))
    practice.confirmed_count = practice.confirmed_count + 1
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return jsonify(error="You are already down for this practice."), 409

    if practice.confirmed_count == MIN_FOR_A_SET:
        _post_to_side_chat(
            practice.side,
            f"We have a full set for {practice.dance_focus} on {practice.starts_at:%a %d %b}!",
        )
    return jsonify(confirmed=practice.confirmed_count), 201


@bp.delete("/practices/<int:practice_id>/attend")
@login_required
def withdraw(practice_id: int):
    deleted = db.session.execute(
        delete(Attendance)
        .where(
            Attendance.practice_id == practice_id,
            Attendance.dancer_id == current_user.id,
            Attendance.practice_id.in_(
                select(Practice.id).where(Practice.side_id == current_user.side_id)
            ),
        )
    ).rowcount
    if deleted:
        db.session.execute(
            update(Practice)
            .where(Practice.id == practice_id, Practice.side_id == current_user.side_id)
            .values(confirmed_count=Practice.confirmed_count - 1)
        )
    db.session.commit()
    return "", 204
