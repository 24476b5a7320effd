-- lab_turnaround_report.sql
-- Turnaround-time (collection -> final result) dashboard for clinic managers.
-- The aggregate is materialized and refreshed every 15 minutes; the dashboard
-- only ever reads the small per-day rollup.

CREATE MATERIALIZED VIEW IF NOT EXISTS lab_tat_daily AS
SELECT r.clinic_id,
       r.test_code,
       date_trunc('day', r.collected_at)::date                          AS day,
       count(*)                                                         AS results,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.reported_at - r.collected_at) AS p50_tat,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY r.reported_at - r.collected_at) AS p90_tat,
       count(*) FILTER (WHERE r.abnormal_flag IS NOT NULL)              AS abnormal
  FROM lab_results r
 WHERE r.status = 'final'
   AND r.collected_at >= now() - interval '400 days'
 GROUP BY r.clinic_id, r.test_code, date_trunc('day', r.collected_at);

CREATE UNIQUE INDEX IF NOT EXISTS lab_tat_daily_key
    ON lab_tat_daily (clinic_id, test_code, day);

SELECT cron.schedule('refresh-lab-tat', '*/15 * * * *',
       $$REFRESH MATERIALIZED VIEW CONCURRENTLY lab_tat_daily$$);


-- name: TatByTest :many
-- dashboard main table, one clinic, last N days
SELECT t.test_code, c.display_name,
       sum(t.results)  AS results,
       avg(t.p50_tat)  AS avg_p50,
       max(t.p90_tat)  AS worst_p90
  FROM lab_tat_daily t
  JOIN lab_test_catalog c ON c.code = t.test_code
 WHERE t.clinic_id = $1
   AND t.day >= current_date - $2::int
 GROUP BY t.test_code, c.display_name
 ORDER BY worst_p90 DESC
 LIMIT 50;

-- name: TatTrend :many
SELECT day, results, p50_tat, p90_tat
  FROM lab_tat_daily
 WHERE clinic_id = $1 AND test_code = $2
   AND day >= current_date - 90
 ORDER BY day;

-- name: GetTestInfo :one
-- lab_test_catalog is the shared LOINC-mapped catalog (no clinic column)
SELECT code, display_name, loinc, specimen_type, reference_range
  FROM lab_test_catalog
 WHERE code = $1;

-- name: SlowResults :many
-- drill-down: individual results past 48h for one clinic, keyset-paginated
SELECT id, patient_id, test_code, collected_at, reported_at
  FROM lab_results
 WHERE clinic_id = $1
   AND status = 'final'
   AND reported_at - collected_at > interval '48 hours'
   AND (collected_at, id) < ($2, $3)
 ORDER BY collected_at DESC, id DESC
 LIMIT 100;
