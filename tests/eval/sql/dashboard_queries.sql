-- Queries behind the admin dashboard page (run on every page load)

-- revenue per plan and month
SELECT s.plan,
       date_trunc('month', p.paid_at) AS month,
       SUM(p.amount_cents) AS revenue,
       COUNT(DISTINCT p.account_id) AS paying_accounts
FROM payments p
JOIN subscriptions s ON s.account_id = p.account_id
GROUP BY s.plan, date_trunc('month', p.paid_at)
ORDER BY month DESC, revenue DESC;

-- the newest signups
SELECT id, email, plan, created_at
FROM accounts
ORDER BY created_at DESC
LIMIT 20;
