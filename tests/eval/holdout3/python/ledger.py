"""Wallet ledger on PostgreSQL (psycopg 3 + psycopg_pool)."""
import logging
import os

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)

pool = ConnectionPool(
    conninfo=os.environ["DATABASE_URL"],
    min_size=2,
    max_size=20,
    timeout=5,  # wait at most 5s for a free connection
    kwargs={"options": "-c statement_timeout=5000", "row_factory": dict_row},
    open=True,
)


class InsufficientFunds(Exception):
    pass


class UsernameTaken(Exception):
    pass


def register_user(username: str, email: str) -> int:
    """users.username has a UNIQUE index; let the database arbitrate."""
    try:
        with pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO users (username, email) VALUES (%s, %s) RETURNING id",
                (username.lower(), email),
            ).fetchone()
            return row["id"]
    except psycopg.errors.UniqueViolation:
        raise UsernameTaken(username) from None


def transfer(request_id: str, from_id: int, to_id: int, amount_cents: int) -> int:
    """Idempotent on request_id; both balances locked for the duration."""
    with pool.connection() as conn, conn.transaction():
        created = conn.execute(
            "INSERT INTO transfers (request_id, from_account, to_account, amount_cents) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (request_id) DO NOTHING RETURNING id",
            (request_id, from_id, to_id, amount_cents),
        ).fetchone()
        if created is None:
            existing = conn.execute(
                "SELECT id FROM transfers WHERE request_id = %s", (request_id,)
            ).fetchone()
            return existing["id"]

        rows = conn.execute(
            "SELECT id, balance_cents FROM accounts WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
            ([from_id, to_id],),
        ).fetchall()
        balances = {r["id"]: r["balance_cents"] for r in rows}
        if balances.get(from_id, 0) < amount_cents:
            raise InsufficientFunds(from_id)  # rolls back the transfers row too

        conn.execute(
            "UPDATE accounts SET balance_cents = balance_cents - %s WHERE id = %s",
            (amount_cents, from_id),
        )
        conn.execute(
            "UPDATE accounts SET balance_cents = balance_cents + %s WHERE id = %s",
            (amount_cents, to_id),
        )
        return created["id"]


def redeem_voucher(account_id: int, code: str) -> int:
    with pool.connection() as conn, conn.transaction():
        row = conn.execute(
            "UPDATE vouchers SET remaining_uses = remaining_uses - 1 "
            "WHERE code = %s AND remaining_uses > 0 AND valid_until > now() "
            "RETURNING value_cents",
            (code,),
        ).fetchone()
        if row is None:
            return 0
        conn.execute(
            "UPDATE accounts SET balance_cents = balance_cents + %s WHERE id = %s",
            (row["value_cents"], account_id),
        )
        return row["value_cents"]


def statement(account_id: int, before_id: int | None = None, limit: int = 50) -> list[dict]:
    limit = max(1, min(limit, 200))
    with pool.connection() as conn:
        return conn.execute(
            "SELECT id, from_account, to_account, amount_cents, created_at FROM transfers "
            "WHERE (from_account = %(a)s OR to_account = %(a)s) "
            "AND (%(before)s::bigint IS NULL OR id < %(before)s) "
            "ORDER BY id DESC LIMIT %(limit)s",
            {"a": account_id, "before": before_id, "limit": limit},
        ).fetchall()
