-- reports/loan_delinquency.sql
-- Delinquency buckets for the servicing dashboard. The aggregate over
-- loan_payments (~400M rows) is precomputed into a materialized view refreshed
-- every 15 minutes; the dashboard endpoints only read the view.

CREATE MATERIALIZED VIEW IF NOT EXISTS rpt_delinquency AS
SELECT l.servicer_id,
       l.id                                   AS loan_id,
       l.borrower_id,
       l.program,
       l.principal_cents,
       COALESCE(max(p.paid_at), l.first_due_on) AS last_paid,
       (current_date - COALESCE(max(p.paid_at)::date, l.first_due_on)) AS days_past_due,
       CASE
           WHEN current_date - COALESCE(max(p.paid_at)::date, l.first_due_on) >= 270 THEN 'default'
           WHEN current_date - COALESCE(max(p.paid_at)::date, l.first_due_on) >= 90  THEN '90+'
           WHEN current_date - COALESCE(max(p.paid_at)::date, l.first_due_on) >= 30  THEN '30-89'
           ELSE 'current'
       END AS bucket
  FROM loans l
  LEFT JOIN loan_payments p ON p.loan_id = l.id AND p.status = 'settled'
 WHERE l.status IN ('repayment', 'forbearance_ended')
 GROUP BY l.servicer_id, l.id
WITH DATA;

-- needed for REFRESH ... CONCURRENTLY
CREATE UNIQUE INDEX IF NOT EXISTS rpt_delinquency_loan_uidx ON rpt_delinquency (loan_id);
CREATE INDEX IF NOT EXISTS rpt_delinquency_servicer_bucket_idx
    ON rpt_delinquency (servicer_id, bucket, days_past_due DESC, loan_id);

SELECT cron.schedule('refresh-rpt-delinquency', '*/15 * * * *',
       $$REFRESH MATERIALIZED VIEW CONCURRENTLY rpt_delinquency$$);

-- name: DelinquencySummary :many
-- dashboard header tiles (one row per bucket)
SELECT bucket, count(*) AS loans, sum(principal_cents) AS principal_cents
  FROM rpt_delinquency
 WHERE servicer_id = $1
 GROUP BY bucket;

-- name: DelinquentLoansPage :many
-- worklist for collectors, keyset paginated
SELECT loan_id, borrower_id, program, principal_cents, last_paid, days_past_due
  FROM rpt_delinquency
 WHERE servicer_id = $1
   AND bucket = $2
   AND (days_past_due, loan_id) < ($3, $4)
 ORDER BY days_past_due DESC, loan_id DESC
 LIMIT 50;
