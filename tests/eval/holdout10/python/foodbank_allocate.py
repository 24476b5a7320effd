# is this safe if two volunteers allocate the last pallets at the same time?
from sqlalchemy import text


def allocate(session, item_id: int, agency_id: int, qty: int) -> bool:
    res = session.execute(
        text("UPDATE stock_items SET on_hand = on_hand - :qty "
             "WHERE id = :id AND on_hand >= :qty"),
        {"qty": qty, "id": item_id},
    )
    if res.rowcount != 1:
        session.rollback()
        return False          # not enough stock left; caller shows "only N available"
    session.execute(
        text("INSERT INTO allocations (item_id, agency_id, qty) VALUES (:i, :a, :q)"),
        {"i": item_id, "a": agency_id, "q": qty},
    )
    session.commit()
    return True
