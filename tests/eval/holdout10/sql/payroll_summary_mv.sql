-- Payroll cost dashboard.
-- The per-department cost breakdown used to be computed live from payslips on
-- every dashboard load (payslips is ~90M rows). It is now a materialized view
-- refreshed every 15 minutes; the API only reads from the view.

CREATE MATERIALIZED VIEW payroll_monthly_summary AS
SELECT p.company_id,
       e.department_id,
       date_trunc('month', pp.pay_date)::date      AS month,
       count(DISTINCT p.employee_id)                AS headcount,
       sum(p.gross_cents)                           AS gross_cents,
       sum(p.employer_tax_cents)                    AS employer_tax_cents,
       sum(p.pension_cents)                         AS pension_cents,
       sum(p.gross_cents + p.employer_tax_cents + p.pension_cents) AS total_cost_cents
FROM payslips p
JOIN employees e     ON e.id = p.employee_id AND e.company_id = p.company_id
JOIN pay_periods pp  ON pp.id = p.period_id
GROUP BY p.company_id, e.department_id, date_trunc('month', pp.pay_date)
WITH NO DATA;

-- Required for REFRESH ... CONCURRENTLY, and serves the API lookups below.
CREATE UNIQUE INDEX payroll_monthly_summary_pk
    ON payroll_monthly_summary (company_id, month, department_id);

REFRESH MATERIALIZED VIEW payroll_monthly_summary;

SELECT cron.schedule(
    'refresh-payroll-monthly-summary',
    '*/15 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY payroll_monthly_summary$$
);

-- name: DepartmentCosts :many
-- GET /api/companies/{company_id}/payroll/costs?from=2024-01-01&to=2024-06-01
SELECT s.month, d.name AS department, s.headcount, s.gross_cents, s.total_cost_cents
FROM payroll_monthly_summary s
JOIN departments d ON d.id = s.department_id AND d.company_id = s.company_id
WHERE s.company_id = $1
  AND s.month >= $2 AND s.month < $3
ORDER BY s.month, d.name
LIMIT 500;

-- name: CompanyCostTotals :many
SELECT month, sum(total_cost_cents) AS total_cost_cents, sum(headcount) AS headcount
FROM payroll_monthly_summary
WHERE company_id = $1 AND month >= $2
GROUP BY month
ORDER BY month DESC
LIMIT 24;
