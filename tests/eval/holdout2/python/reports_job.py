"""Nightly revenue rollup, run by cron: `python -m app.reports_job`."""
import logging

import psycopg

log = logging.getLogger(__name__)


def main() -> None:
    with psycopg.connect("dbname=shop") as conn, conn.cursor() as cur:
        cur.execute(
            """
            INSERT INTO daily_revenue (day, revenue_cents, orders)
            SELECT date_trunc('day', paid_at)::date, sum(amount_cents), count(*)
            FROM payments
            WHERE paid_at >= current_date - 1 AND paid_at < current_date
            GROUP BY 1
            ON CONFLICT (day) DO UPDATE SET revenue_cents = EXCLUDED.revenue_cents, orders = EXCLUDED.orders
            """
        )
        log.info("rolled up %s day(s)", cur.rowcount)


if __name__ == "__main__":
    main()
