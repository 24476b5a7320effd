"""Repository for thatching apprentice logbooks.

The platform is shared by several training providers (each a tenant). An
apprentice logs days on roofs: the job, the material (water reed, long straw,
combed wheat), hours, and the master thatcher who signs the entry off.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

MAX_PAGE = 100


@dataclass(frozen=True)
class LogEntry:
    id: int
    apprentice_id: int
    worked_on: date
    job_ref: str
    material: str
    hours: float
    signed_off_by: str | None


class LogbookRepository:
    def __init__(self, pool: ConnectionPool) -> None:
        # The pool is created once at start-up (min_size=2, max_size=10, timeout=5).
        self._pool = pool

    def entries_page(self, provider_id: int, apprentice_id: int, *,
                     before: tuple[date, int] | None = None, limit: int = 25) -> list[LogEntry]:
        """Newest first, keyset-paginated on (worked_on, id)."""
        limit = max(1, min(limit, MAX_PAGE))
        sql = (
            "SELECT e.id, e.apprentice_id, e.worked_on, e.job_ref, e.material, e.hours, "
            "e.signed_off_by_id FROM logbook_entries e "
            "WHERE e.provider_id = %(provider)s AND e.apprentice_id = %(apprentice)s "
        )
        params: dict = {"provider": provider_id, "apprentice": apprentice_id, "limit": limit}
        if before is not None:
            sql += "AND (e.worked_on, e.id) < (%(before_day)s, %(before_id)s) "
            params.update(before_day=before[0], before_id=before[1])
        sql += "ORDER BY e.worked_on DESC, e.id DESC LIMIT %(limit)s"

        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
            masters = self._master_names(cur, provider_id, {r["signed_off_by_id"] for r in rows})

        return [
            LogEntry(
                id=r["id"], apprentice_id=r["apprentice_id"], worked_on=r["worked_on"],
                job_ref=r["job_ref"], material=r["material"], hours=float(r["hours"]),
                signed_off_by=masters.get(r["signed_off_by_id"]),
            )
            for r in rows
        ]

    @staticmethod
    def _master_names(cur, provider_id: int, ids: set[int | None]) -> dict[int, str]:
        wanted = [i for i in ids if i is not None]
        if not wanted:
            return {}
        # One round trip for the whole page rather than one per entry.
        cur.execute(
            "SELECT id, full_name FROM master_thatchers WHERE provider_id = %s AND id = ANY(%s)",
            (provider_id, wanted),
        )
        return {r["id"]: r["full_name"] for r in cur.fetchall()}

    def hours_by_material(self, provider_id: int, apprentice_id: int) -> dict[str, float]:
        """Totals for one apprentice's end-point assessment form."""
        with self._pool.connection() as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT material, SUM(hours) FROM logbook_entries "
                "WHERE provider_id = %s AND apprentice_id = %s GROUP BY material",
                (provider_id, apprentice_id),
            )
            return {material: float(total) for material, total in cur.fetchall()}

    def sign_off(self, provider_id: int, entry_id: int, master_id: int) -> bool:
        with self._pool.connection() as conn, conn.cursor() as cur:
            cur.execute(
                "UPDATE logbook_entries SET signed_off_by_id = %s, signed_off_at = now() "
                "WHERE id = %s AND provider_id = %s AND signed_off_by_id IS NULL",
                (master_id, entry_id, provider_id),
            )
            return cur.rowcount == 1
