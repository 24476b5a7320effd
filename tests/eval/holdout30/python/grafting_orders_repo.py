# grafting/repository.py (excerpt)
# Several orchard groups share the grafting-day app; every table carries orchard_group_id
# and every query here is scoped to the caller's group.

ORDER_COLUMNS = "id, member_id, status, collection_slot, created_at"


class GraftingOrderRepository:
    def __init__(self, conn):
        self._conn = conn  # psycopg connection checked out from the app's pool

    def list_orders(self, group_id: int, *, after_id: int = 0, limit: int = 50) -> list[dict]:
        limit = max(1, min(limit, 200))
        cur = self._conn.execute(
            f"SELECT {ORDER_COLUMNS} FROM grafting_orders "
            "WHERE orchard_group_id = %s AND id > %s ORDER BY id LIMIT %s",
            (group_id, after_id, limit),
        )
        return cur.fetchall()

    def get(self, group_id: int, order_id: int) -> dict | None:
        cur = self._conn.execute(
            f"SELECT {ORDER_COLUMNS} FROM grafting_orders WHERE id = %s AND orchard_group_id = %s",
            (order_id, group_id),
        )
        return cur.fetchone()

    def lines_for_orders(self, group_id: int, order_ids: list[int]) -> list[dict]:
        if not order_ids:
            return []
        cur = self._conn.execute(
            "SELECT l.order_id, l.variety_id, v.name AS variety, l.rootstock, l.quantity "
            "FROM grafting_order_lines l "
            "JOIN grafting_orders o ON o.id = l.order_id "
            "JOIN varieties v ON v.id = l.variety_id AND v.orchard_group_id = o.orchard_group_id "
            "WHERE o.orchard_group_id = %s AND l.order_id = ANY(%s) "
            "ORDER BY l.order_id, v.name",
            (group_id, order_ids),
        )
        return cur.fetchall()

    def cancel(self, group_id: int, order_id: int) -> bool:
        """Cancel a pending order and hand its scions back, in one transaction."""
        with self._conn.transaction():
            cur = self._conn.execute(
                "UPDATE grafting_orders SET status = 'cancelled' "
                "WHERE id = %s AND orchard_group_id = %s AND status = 'pending'",
                (order_id, group_id),
            )
            if cur.rowcount != 1:
                return False
            self._conn.execute(
                "UPDATE varieties v SET scions_reserved = v.scions_reserved - l.quantity "
                "FROM grafting_order_lines l "
                "WHERE l.order_id = %s AND v.id = l.variety_id AND v.orchard_group_id = %s",
                (order_id, group_id),
            )
        return True


def orders_page(repo: GraftingOrderRepository, group_id: int, after_id: int = 0) -> dict:
    """One page of orders with their lines: two queries however many orders are shown."""
    orders = repo.list_orders(group_id, after_id=after_id, limit=50)
    lines = repo.lines_for_orders(group_id, [o["id"] for o in orders])
    by_order: dict[int, list[dict]] = {}
    for line in lines:
        by_order.setdefault(line["order_id"], []).append(line)
    return {
        "orders": [{**o, "lines": by_order.get(o["id"], [])} for o in orders],
        "next_after_id": orders[-1]["id"] if len(orders) == 50 else None,
    }
