"""Data access for the tapestry loom rental platform.

Weaving guilds list their floor and tapestry looms; members of a guild place a
short hold on a loom while they fill in the rental form, then confirm it.
Every table carries guild_id; one Postgres database serves all guilds.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Connection

HOLD_MINUTES = 20


class LoomUnavailable(Exception):
    pass


@dataclass
class Rental:
    id: int
    guild_id: int
    loom_id: int
    member_id: int
    starts_on: date
    ends_on: date
    status: str


class LoomRentalRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def place_hold(self, guild_id: int, loom_id: int, member_id: int) -> int:
        # Lock the loom row so two members can't both get a hold on it.
        loom = self.conn.execute(
            text("SELECT id FROM looms WHERE id = :loom AND guild_id = :guild FOR UPDATE"),
            {"loom": loom_id, "guild": guild_id},
        ).first()
        if loom is None:
            raise LoomUnavailable("no such loom")
        active = self.conn.execute(
            text("SELECT 1 FROM loom_holds WHERE loom_id = :loom AND expires_at > now()"),
            {"loom": loom_id},
        ).first()
        if active is not None:
            raise LoomUnavailable("someone is already booking this loom")
        return self.conn.execute(
            text(
                "INSERT INTO loom_holds (guild_id, loom_id, member_id, expires_at) "
                "VALUES (:guild, :loom, :member, now() + make_interval(mins => :mins)) RETURNING id"
            ),
            {"guild": guild_id, "loom": loom_id, "member": member_id, "mins": HOLD_MINUTES},
        ).scalar_one()

    def confirm_rental(self, guild_id: int, hold_id: int, starts_on: date, ends_on: date) -> int:
        hold = self.conn.execute(
            text(
                "SELECT loom_id, member_id FROM loom_holds "
                "WHERE id = :hold AND guild_id = :guild AND expires_at > now() FOR UPDATE"
            ),
            {"hold": hold_id, "guild": guild_id},
        ).first()
        if hold is None:
            raise LoomUnavailable("hold expired")
        rental_id = self.conn.execute(
            text(
                "INSERT INTO loom_rentals (guild_id, loom_id, member_id, starts_on, ends_on, status) "
                "VALUES (:guild, :loom, :member, :s, :e, 'confirmed') RETURNING id"
            ),
            {"guild": guild_id, "loom": hold.loom_id, "member": hold.member_id, "s": starts_on, "e": ends_on},
        ).scalar_one()
        self.conn.execute(
            text("UPDATE loom_holds SET expires_at = now() WHERE id = :hold"), {"hold": hold_id}
        )
        return rental_id

    def get_rental(self, rental_id: int) -> Rental | None:
        row = self.conn.execute(
            text(
                "SELECT id, guild_id, loom_id, member_id, starts_on, ends_on, status "
                "FROM loom_rentals WHERE id = :id"
            ),
            {"id": rental_id},
        ).first()
        return Rental(*row) if row else None

    def active_rentals(self, guild_id: int, limit: int = 50, after_id: int = 0) -> list[Rental]:
        rows = self.conn.execute(
            text(
                "SELECT id, guild_id, loom_id, member_id, starts_on, ends_on, status "
                "FROM loom_rentals WHERE guild_id = :guild AND status = 'confirmed' "
                "AND ends_on >= current_date AND id > :after ORDER BY id LIMIT :lim"
            ),
            {"guild": guild_id, "after": after_id, "lim": limit},
        ).all()
        return [Rental(*r) for r in rows]
