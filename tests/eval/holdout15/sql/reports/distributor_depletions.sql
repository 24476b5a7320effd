-- Monthly depletion report per distributor (cases shipped vs. returned kegs)
-- for the brewery sales dashboard.
--
-- shipments has ~40M rows across all breweries on the platform, so the
-- aggregate is materialized nightly; the dashboard reads the small matview.

CREATE MATERIALIZED VIEW distributor_depletions_monthly AS
SELECT s.brewery_id,
       s.distributor_id,
       date_trunc('month', s.shipped_at)::date            AS month,
       sum(s.cases)                                       AS cases_shipped,
       sum(s.kegs_half + s.kegs_sixth)                    AS kegs_shipped,
       coalesce(sum(r.kegs_returned), 0)                  AS kegs_returned,
       sum(s.invoice_cents) / 100.0                       AS revenue_usd
  FROM shipments s
  LEFT JOIN keg_returns r
         ON r.shipment_id = s.id AND r.brewery_id = s.brewery_id
 WHERE s.shipped_at >= date_trunc('month', now()) - interval '24 months'
 GROUP BY s.brewery_id, s.distributor_id, date_trunc('month', s.shipped_at);

-- required for REFRESH ... CONCURRENTLY
CREATE UNIQUE INDEX distributor_depletions_monthly_pk
    ON distributor_depletions_monthly (brewery_id, distributor_id, month);

SELECT cron.schedule('refresh-distributor-depletions', '15 4 * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY distributor_depletions_monthly$$);

-- name: DashboardDepletions
-- GET /breweries/:id/reports/depletions?months=12
SELECT d.distributor_id,
       di.name AS distributor,
       d.month,
       d.cases_shipped,
       d.kegs_shipped,
       d.kegs_returned,
       d.revenue_usd
  FROM distributor_depletions_monthly d
  JOIN distributors di ON di.id = d.distributor_id AND di.brewery_id = d.brewery_id
 WHERE d.brewery_id = $1
   AND d.month >= date_trunc('month', now()) - make_interval(months => $2)
 ORDER BY d.month DESC, d.cases_shipped DESC
 LIMIT 500;
