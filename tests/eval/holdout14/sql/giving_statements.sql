-- Giving reports for the church admin portal.
-- Multi-tenant: every church is a tenant (church_id). receipt_templates is platform-wide
-- (one row per country/locale, no church_id column), maintained by our support team.

-- Monthly totals are pre-aggregated; the portal never scans donations for the charts.
CREATE MATERIALIZED VIEW IF NOT EXISTS mv_monthly_giving AS
SELECT church_id,
       fund_id,
       date_trunc('month', given_at)::date AS month,
       count(*)                             AS gifts,
       count(DISTINCT donor_id)             AS donors,
       sum(amount_cents)                    AS total_cents
FROM donations
WHERE status = 'settled'
GROUP BY church_id, fund_id, date_trunc('month', given_at);

CREATE UNIQUE INDEX IF NOT EXISTS mv_monthly_giving_pk
    ON mv_monthly_giving (church_id, fund_id, month);

-- refreshed at 03:10 every night (pg_cron); CONCURRENTLY so the portal keeps reading
SELECT cron.schedule('refresh-monthly-giving', '10 3 * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY mv_monthly_giving$$);

-- :monthly_chart  (GET /api/reports/monthly?year=)
SELECT m.month, f.name AS fund, m.gifts, m.donors, m.total_cents
FROM mv_monthly_giving m
JOIN funds f ON f.id = m.fund_id AND f.church_id = m.church_id
WHERE m.church_id = :church_id
  AND m.month >= make_date(:year, 1, 1)
  AND m.month <  make_date(:year + 1, 1, 1)
ORDER BY m.month, f.name;

-- :donor_gifts  (GET /api/donors/:id/gifts?before=) keyset-paginated, 50 per page
SELECT d.id, d.given_at, d.amount_cents, f.name AS fund, d.method
FROM donations d
JOIN funds f ON f.id = d.fund_id AND f.church_id = d.church_id
WHERE d.church_id = :church_id
  AND d.donor_id  = :donor_id
  AND d.given_at  < coalesce(:before, 'infinity'::timestamptz)
ORDER BY d.given_at DESC
LIMIT 50;

-- :statement_totals  (year-end tax statement for one donor)
SELECT f.name AS fund, count(*) AS gifts, sum(d.amount_cents) AS total_cents
FROM donations d
JOIN funds f ON f.id = d.fund_id AND f.church_id = d.church_id
WHERE d.church_id = :church_id
  AND d.donor_id  = :donor_id
  AND d.status    = 'settled'
  AND d.given_at >= make_date(:year, 1, 1)
  AND d.given_at <  make_date(:year + 1, 1, 1)
GROUP BY f.name
ORDER BY f.name;

-- :receipt_template  (platform-wide table, looked up by id stored on the church row)
SELECT id, locale, legal_text, signature_block
FROM receipt_templates
WHERE id = :template_id;
