-- Village well water-quality summary for the parish dashboards.
-- The per-well statistics cover every sample since monitoring began, so they
-- are computed once an hour into a materialized view; the dashboard reads the
-- view, never the raw samples. parish_id is the tenant key.

CREATE MATERIALIZED VIEW IF NOT EXISTS well_quality_summary AS
SELECT w.parish_id,
       w.id                                            AS well_id,
       w.name                                          AS well_name,
       count(t.id)                                     AS samples,
       max(t.sampled_at)                               AS last_sampled_at,
       avg(t.nitrate_mg_l)                             AS mean_nitrate_mg_l,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY t.nitrate_mg_l) AS p95_nitrate_mg_l,
       count(*) FILTER (WHERE t.e_coli_cfu > 0)        AS samples_with_e_coli,
       bool_or(t.e_coli_cfu > 0 AND t.sampled_at > now() - interval '90 days') AS e_coli_last_90d
  FROM wells w
  LEFT JOIN well_tests t ON t.well_id = w.id AND t.parish_id = w.parish_id
 GROUP BY w.parish_id, w.id, w.name
WITH DATA;

-- Needed for REFRESH ... CONCURRENTLY, and makes the dashboard lookup an index scan.
CREATE UNIQUE INDEX IF NOT EXISTS well_quality_summary_pk
    ON well_quality_summary (parish_id, well_id);

-- Hourly refresh via pg_cron; CONCURRENTLY keeps the view readable meanwhile.
SELECT cron.schedule(
    'refresh-well-quality-summary',
    '7 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY well_quality_summary$$
);

-- Dashboard query (parameter $1 = the signed-in council's parish_id).
SELECT s.well_id,
       s.well_name,
       s.samples,
       s.last_sampled_at,
       round(s.mean_nitrate_mg_l::numeric, 1)  AS mean_nitrate_mg_l,
       round(s.p95_nitrate_mg_l::numeric, 1)   AS p95_nitrate_mg_l,
       s.e_coli_last_90d,
       s.last_sampled_at < now() - interval '6 months' AS sample_overdue
  FROM well_quality_summary s
 WHERE s.parish_id = $1
 ORDER BY s.e_coli_last_90d DESC, s.well_name
 LIMIT 200;

-- Drill-down for one well: recent samples only.
SELECT t.sampled_at, t.e_coli_cfu, t.nitrate_mg_l, t.lab_ref
  FROM well_tests t
 WHERE t.parish_id = $1
   AND t.well_id = $2
 ORDER BY t.sampled_at DESC
 LIMIT 24;
