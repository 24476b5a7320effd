"""Duck race ticket sales (Flask + SQLAlchemy 2.0 Core).

Several charities run their river duck races through this site; an
organiser's login is tied to one charity. Ducks are numbered 1..N and a
race has a fixed number of ducks, so sales must never go past the total.
"""
import os

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import create_engine, text

bp = Blueprint("ducks", __name__, url_prefix="/races")

engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_size=10,
    max_overflow=5,
    pool_pre_ping=True,
    connect_args={"connect_timeout": 5, "options": "-c statement_timeout=5000"},
)

PAGE_SIZE = 50


@bp.post("/<int:race_id>/sales")
def sell_ducks(race_id: int):
    body = request.get_json(force=True)
    qty = int(body.get("quantity", 1))
    if not 1 <= qty <= 20:
        abort(400, "Between 1 and 20 ducks per sale")

    with engine.begin() as conn:
        # Reserve the ducks and hand out the next numbers in one statement,
        # so two sellers on the bridge can't sell the same duck.
        race = conn.execute(
            text(
                "UPDATE duck_races "
                "SET ducks_sold = ducks_sold + :qty "
                "WHERE id = :race AND charity_id = :charity "
                "  AND ducks_sold + :qty <= total_ducks AND sales_open "
                "RETURNING ducks_sold"
            ),
            {"qty": qty, "race": race_id, "charity": g.organiser.charity_id},
        ).first()
        if race is None:
            return jsonify(error="Not enough ducks left or sales closed"), 409

        last = race.ducks_sold
        numbers = list(range(last - qty + 1, last + 1))
        conn.execute(
            text(
                "INSERT INTO duck_tickets (race_id, duck_number, buyer_name, buyer_phone, seller_id) "
                "VALUES (:race, :num, :name, :phone, :seller)"
            ),
            [
                {
                    "race": race_id,
                    "num": n,
                    "name": body["buyer_name"],
                    "phone": body.get("buyer_phone"),
                    "seller": g.organiser.id,
                }
                for n in numbers
            ],
        )

    return jsonify(race_id=race_id, duck_numbers=numbers), 201


@bp.get("/<int:race_id>/tickets")
def list_tickets(race_id: int):
    """Sold ducks for the organiser's table, newest first, keyset-paginated."""
    before = request.args.get("before", type=int)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT t.duck_number, t.buyer_name, t.sold_at "
                "FROM duck_tickets t JOIN duck_races r ON r.id = t.race_id "
                "WHERE t.race_id = :race AND r.charity_id = :charity "
                "  AND (CAST(:before AS int) IS NULL OR t.duck_number < :before) "
                "ORDER BY t.duck_number DESC LIMIT :limit"
            ),
            {
                "race": race_id,
                "charity": g.organiser.charity_id,
                "before": before,
                "limit": PAGE_SIZE,
            },
        ).mappings().all()

    next_cursor = rows[-1]["duck_number"] if len(rows) == PAGE_SIZE else None
    return jsonify(tickets=[dict(r) for r in rows], next_before=next_cursor)
