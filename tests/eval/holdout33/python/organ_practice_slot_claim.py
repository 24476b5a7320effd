# St Michael's organ practice rota -- slot claiming helpers.
# `pool` is the app-wide psycopg_pool.ConnectionPool created at startup.

MAX_SLOTS_PER_WEEK = 3


class SlotUnavailable(Exception):
    pass


class WeeklyLimitReached(Exception):
    pass


def claim_practice_slot(pool, slot_id: int, organist_id: int) -> dict:
    """Claim a free hour at the console.

    The organist row is locked so two tabs from the same organist cannot
    both pass the weekly limit, and the slot is taken with a conditional
    UPDATE so two organists cannot take the same hour.
    """
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT id FROM organists WHERE id = %s FOR UPDATE", (organist_id,))

        (week_count,) = conn.execute(
            """
            SELECT count(*) FROM organ_slots s
            WHERE s.organist_id = %s
              AND date_trunc('week', s.starts_at) =
                  (SELECT date_trunc('week', starts_at) FROM organ_slots WHERE id = %s)
            """,
            (organist_id, slot_id),
        ).fetchone()
        if week_count >= MAX_SLOTS_PER_WEEK:
            raise WeeklyLimitReached(organist_id)

        row = conn.execute(
            """
            UPDATE organ_slots
               SET organist_id = %s, claimed_at = now()
             WHERE id = %s AND organist_id IS NULL AND starts_at > now()
         RETURNING id, starts_at, ends_at
            """,
            (organist_id, slot_id),
        ).fetchone()
        if row is None:
            raise SlotUnavailable(slot_id)

    return {"id": row[0], "starts_at": row[1].isoformat(), "ends_at": row[2].isoformat()}


def release_practice_slot(pool, slot_id: int, organist_id: int) -> bool:
    """Give a slot back; only the organist who holds it can release it."""
    with pool.connection() as conn:
        cur = conn.execute(
            "UPDATE organ_slots SET organist_id = NULL, claimed_at = NULL "
            "WHERE id = %s AND organist_id = %s AND starts_at > now()",
            (slot_id, organist_id),
        )
        return cur.rowcount == 1


def free_slots_this_week(pool, limit: int = 40) -> list[tuple]:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT id, starts_at, ends_at FROM organ_slots "
            "WHERE organist_id IS NULL AND starts_at > now() "
            "AND starts_at < date_trunc('week', now()) + interval '7 days' "
            "ORDER BY starts_at LIMIT %s",
            (min(limit, 100),),
        ).fetchall()
