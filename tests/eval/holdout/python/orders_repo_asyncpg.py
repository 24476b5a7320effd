from typing import Any

import asyncpg


class OrdersRepo:
    """Orders belong to a shop (shop_id). One repo instance per request, bound to its shop."""

    def __init__(self, pool: asyncpg.Pool, shop_id: int):
        self.pool = pool
        self.shop_id = shop_id

    async def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = await self.pool.fetch(
            "SELECT id, total, status FROM orders WHERE shop_id = $1 ORDER BY id DESC LIMIT $2",
            self.shop_id, limit,
        )
        return [dict(r) for r in rows]

    async def get(self, order_id: int) -> dict[str, Any] | None:
        row = await self.pool.fetchrow(
            "SELECT id, total, status FROM orders WHERE shop_id = $1 AND id = $2",
            self.shop_id, order_id,
        )
        return dict(row) if row else None

    async def refund(self, order_id: int) -> None:
        await self.pool.execute(
            "UPDATE orders SET status = 'refunded' WHERE id = $1", order_id
        )

    async def lines(self, order_id: int) -> list[dict[str, Any]]:
        rows = await self.pool.fetch(
            "SELECT l.sku, l.qty FROM order_lines l JOIN orders o ON o.id = l.order_id "
            "WHERE o.shop_id = $1 AND o.id = $2",
            self.shop_id, order_id,
        )
        return [dict(r) for r in rows]
