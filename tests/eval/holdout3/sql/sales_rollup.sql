-- sales_rollup.sql
-- Pre-aggregated sales for the merchant dashboard. The dashboard API reads
-- only from daily_sales_mv; the heavy GROUP BY runs in the background.

CREATE MATERIALIZED VIEW IF NOT EXISTS daily_sales_mv AS
SELECT o.merchant_id,
       date_trunc('day', o.paid_at)::date        AS day,
       count(*)                                   AS orders,
       sum(o.total_cents)                         AS revenue_cents,
       count(DISTINCT o.customer_id)              AS customers
FROM orders o
WHERE o.status = 'paid'
GROUP BY o.merchant_id, date_trunc('day', o.paid_at)::date
WITH NO DATA;

-- REFRESH ... CONCURRENTLY needs a unique index.
CREATE UNIQUE INDEX IF NOT EXISTS daily_sales_mv_pk ON daily_sales_mv (merchant_id, day);

REFRESH MATERIALIZED VIEW daily_sales_mv;

-- Refresh every 10 minutes without blocking readers (pg_cron).
SELECT cron.schedule('refresh-daily-sales', '*/10 * * * *',
                     $$REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales_mv$$);

-- Dashboard query (GET /api/merchants/:id/sales?days=30), served from the view.
-- :merchant_id and :days are bound by the API.
SELECT day, orders, revenue_cents, customers
FROM daily_sales_mv
WHERE merchant_id = :merchant_id
  AND day >= current_date - :days::int
ORDER BY day DESC
LIMIT 366;

-- Nightly payout settlement: one set-based statement instead of a loop per merchant.
CREATE OR REPLACE FUNCTION settle_payouts(p_day date)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_rows integer;
BEGIN
    INSERT INTO payouts (merchant_id, payout_day, gross_cents, fee_cents, net_cents)
    SELECT m.id,
           p_day,
           s.revenue_cents,
           round(s.revenue_cents * m.fee_rate)::bigint,
           s.revenue_cents - round(s.revenue_cents * m.fee_rate)::bigint
    FROM daily_sales_mv s
    JOIN merchants m ON m.id = s.merchant_id
    WHERE s.day = p_day
      AND m.status = 'active'
    ON CONFLICT (merchant_id, payout_day) DO NOTHING;

    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN v_rows;
END;
$$;
