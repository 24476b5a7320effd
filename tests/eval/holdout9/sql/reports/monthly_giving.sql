-- Monthly giving report for the charity dashboard.
-- The dashboard reads giving_monthly (a materialized view); it is refreshed
-- nightly at 02:30 by pg_cron, so page loads never aggregate the raw donations.

CREATE MATERIALIZED VIEW IF NOT EXISTS giving_monthly AS
SELECT d.org_id,
       date_trunc('month', d.donated_at)::date       AS month,
       f.code                                         AS fund,
       count(*)                                       AS gifts,
       count(DISTINCT d.donor_id)                     AS donors,
       sum(d.amount_cents)                            AS total_cents,
       sum(d.amount_cents) FILTER (WHERE d.recurring) AS recurring_cents,
       sum(d.amount_cents) FILTER (WHERE d.gift_aid)  AS gift_aid_cents
  FROM donations d
  JOIN funds f ON f.id = d.fund_id AND f.org_id = d.org_id
 WHERE d.status = 'settled'
 GROUP BY d.org_id, date_trunc('month', d.donated_at), f.code
WITH DATA;

CREATE UNIQUE INDEX IF NOT EXISTS giving_monthly_key
    ON giving_monthly (org_id, month, fund);

SELECT cron.schedule('refresh-giving-monthly', '30 2 * * *',
       $$REFRESH MATERIALIZED VIEW CONCURRENTLY giving_monthly$$);

-- Query used by the dashboard (parameters: :org_id, :from_month, :to_month)
SELECT month,
       fund,
       gifts,
       donors,
       total_cents,
       recurring_cents,
       gift_aid_cents,
       sum(total_cents) OVER (PARTITION BY fund ORDER BY month) AS running_total_cents
  FROM giving_monthly
 WHERE org_id = :org_id
   AND month BETWEEN :from_month AND :to_month
 ORDER BY month, fund;

-- Top donors for the year-end thank-you letters (run by the treasurer, once a year)
SELECT d.donor_id, dn.full_name, dn.email, sum(d.amount_cents) AS total_cents
  FROM donations d
  JOIN donors dn ON dn.id = d.donor_id AND dn.org_id = d.org_id
 WHERE d.org_id = :org_id
   AND d.status = 'settled'
   AND d.donated_at >= date_trunc('year', now()) - interval '1 year'
   AND d.donated_at <  date_trunc('year', now())
 GROUP BY d.donor_id, dn.full_name, dn.email
 ORDER BY total_cents DESC
 LIMIT 50;
