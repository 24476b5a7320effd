# is this safe? two patrons sometimes both get a "ready" hold on the last copy
@bp.post("/books/<int:book_id>/holds")
@login_required
def place_hold(book_id):
    book = Book.query.get_or_404(book_id)
    ready = Hold.query.filter_by(book_id=book_id, status="ready").count()
    if ready >= book.copies_on_shelf:
        return jsonify(error="All copies are on hold, join the waitlist instead"), 409
    hold = Hold(book_id=book_id, patron_id=current_user.id, status="ready")
    db.session.add(hold)
    db.session.commit()
    return jsonify(id=hold.id), 201
