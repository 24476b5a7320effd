-- Airport lost & found: monthly stats for the terminal operations dashboard.
--
-- The raw aggregate over found_items/claims is heavy (years of history, ~9M rows),
-- so it lives in a materialized view refreshed nightly at 03:15 by pg_cron.
-- The dashboard endpoint only reads the view, filtered and paged.

CREATE MATERIALIZED VIEW IF NOT EXISTS lf_monthly_stats AS
SELECT f.airport_code,
       f.terminal,
       date_trunc('month', f.found_at)::date                       AS month,
       f.category,
       count(*)                                                    AS items_found,
       count(c.id) FILTER (WHERE c.status = 'returned')            AS items_returned,
       count(*) FILTER (WHERE f.disposed_at IS NOT NULL)           AS items_disposed,
       avg(extract(epoch FROM c.returned_at - f.found_at) / 3600)
           FILTER (WHERE c.status = 'returned')                    AS avg_hours_to_return,
       sum(c.shipping_fee_cents) FILTER (WHERE c.shipped)          AS shipping_revenue_cents
  FROM found_items f
  LEFT JOIN claims c ON c.item_id = f.id
 GROUP BY f.airport_code, f.terminal, date_trunc('month', f.found_at), f.category
WITH NO DATA;

-- unique index so the refresh can run CONCURRENTLY (readers are never blocked)
CREATE UNIQUE INDEX IF NOT EXISTS lf_monthly_stats_uk
    ON lf_monthly_stats (airport_code, terminal, month, category);

REFRESH MATERIALIZED VIEW lf_monthly_stats;

SELECT cron.schedule(
    'lf-monthly-stats-refresh',
    '15 3 * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY lf_monthly_stats$$
);

-- Dashboard read (GET /ops/lost-found/stats?airport=ZRH&months=12).
-- Reads at most 12 months x terminals x categories from the view.
-- $1 = airport_code, $2 = months back
SELECT month,
       terminal,
       category,
       items_found,
       items_returned,
       round(100.0 * items_returned / nullif(items_found, 0), 1) AS return_rate_pct,
       round(avg_hours_to_return::numeric, 1)                    AS avg_hours_to_return
  FROM lf_monthly_stats
 WHERE airport_code = $1
   AND month >= date_trunc('month', now()) - make_interval(months => $2)
 ORDER BY month DESC, terminal, category
 LIMIT 500;
