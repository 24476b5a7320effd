-- Daily rollup: the dashboard reads daily_sales, never the raw orders.
CREATE MATERIALIZED VIEW IF NOT EXISTS daily_sales AS
SELECT date_trunc('day', created_at)::date AS day,
       count(*)                             AS orders,
       sum(total_cents)                     AS revenue_cents
FROM orders
GROUP BY 1;

CREATE UNIQUE INDEX IF NOT EXISTS daily_sales_day ON daily_sales (day);

SELECT cron.schedule('refresh-daily-sales', '5 0 * * *',
                     'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales');

-- name: DailySales :many
SELECT day, orders, revenue_cents FROM daily_sales
WHERE day >= $1 AND day < $2
ORDER BY day;
