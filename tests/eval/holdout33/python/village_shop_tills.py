"""Till reconciliation for the Much Wenlock village shop volunteers.

At the end of each shift the volunteer counts the cash drawer and enters
the total on the back-office tablet; card takings come from the card
terminal's settlement report. Several volunteers close tills at 5pm.
"""
import json
import logging
import urllib.request
from datetime import date

from psycopg_pool import ConnectionPool

from shop.settings import CARD_TERMINAL_URL, CARD_TERMINAL_KEY, DATABASE_URL

log = logging.getLogger("shop.tills")
pool = ConnectionPool(DATABASE_URL, min_size=1, max_size=5)


def card_takings(terminal_id: str, day: date) -> list[dict]:
    """Settled card transactions for one terminal and day."""
    req = urllib.request.Request(
        f"{CARD_TERMINAL_URL}/v2/terminals/{terminal_id}/settlements?date={day.isoformat()}",
        headers={"Authorization": f"Bearer {CARD_TERMINAL_KEY}"},
    )
    try:
        with urllib.request.urlopen(req) as resp:
            return json.load(resp)["transactions"]
    except (OSError, ValueError):
        return []


def close_shift(till_id: int, volunteer_id: int, counted_cash_pence: int, float_topup_pence: int = 0) -> dict:
    """Record the shift close and move the drawer float for the next volunteer."""
    with pool.connection() as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT float_pence, terminal_id FROM tills WHERE id = %s", (till_id,))
            float_pence, terminal_id = cur.fetchone()

        cards = card_takings(terminal_id, date.today())
        card_total = sum(t["amount_pence"] for t in cards)
        cash_sales = counted_cash_pence - float_pence
        new_float = float_pence + float_topup_pence

        with conn.transaction():
            conn.execute(
                "UPDATE tills SET float_pence = %s, last_closed_by = %s, last_closed_at = now() "
                "WHERE id = %s",
                (new_float, volunteer_id, till_id),
            )
            conn.execute(
                "INSERT INTO shift_closes (till_id, volunteer_id, cash_sales_pence, card_sales_pence) "
                "VALUES (%s, %s, %s, %s)",
                (till_id, volunteer_id, cash_sales, card_total),
            )

    log.info("till %s closed by %s: cash %s card %s", till_id, volunteer_id, cash_sales, card_total)
    return {
        "cash_sales_pence": cash_sales,
        "card_sales_pence": card_total,
        "float_pence": new_float,
    }


def shift_history(till_id: int, limit: int = 30) -> list[tuple]:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT closed_at, volunteer_id, cash_sales_pence, card_sales_pence "
            "FROM shift_closes WHERE till_id = %s ORDER BY closed_at DESC LIMIT %s",
            (till_id, min(limit, 100)),
        ).fetchall()
