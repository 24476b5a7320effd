-- SLA reporting for the helpdesk admin dashboard.
--
-- The aggregation over tickets runs in a materialized view refreshed every
-- 10 minutes by pg_cron; the API only reads the view. Every workspace-owned
-- table (tickets, sla_policies, sla_daily) is filtered by workspace_id.
-- ticket_priorities is a global lookup table (Low/Normal/High/Urgent).

CREATE MATERIALIZED VIEW IF NOT EXISTS sla_daily AS
SELECT t.workspace_id,
       date_trunc('day', t.created_at)::date AS day,
       t.priority_id,
       count(*)                                                          AS opened,
       count(*) FILTER (WHERE t.first_response_at IS NOT NULL
                          AND t.first_response_at - t.created_at <= p.first_response_target) AS met_first_response,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM t.first_response_at - t.created_at))  AS median_first_response_s
  FROM tickets t
  JOIN sla_policies p
    ON p.workspace_id = t.workspace_id AND p.priority_id = t.priority_id
 WHERE t.created_at >= now() - interval '400 days'
 GROUP BY t.workspace_id, date_trunc('day', t.created_at)::date, t.priority_id;

-- Required for REFRESH ... CONCURRENTLY.
CREATE UNIQUE INDEX IF NOT EXISTS sla_daily_pk ON sla_daily (workspace_id, day, priority_id);

SELECT cron.schedule('refresh-sla-daily', '*/10 * * * *',
                     $$REFRESH MATERIALIZED VIEW CONCURRENTLY sla_daily$$);

-- name: SlaSummary :many
-- $2/$3 is the date range picked in the UI; the API caps it at 90 days,
-- so this returns at most 90 x 4 rows.
SELECT s.day, tp.name AS priority, s.opened, s.met_first_response, s.median_first_response_s
  FROM sla_daily s
  JOIN ticket_priorities tp ON tp.id = s.priority_id
 WHERE s.workspace_id = $1
   AND s.day >= $2 AND s.day < $3
 ORDER BY s.day, tp.sort_order;

-- name: BreachedTickets :many
-- Keyset pagination: pass the last (created_at, id) of the previous page.
SELECT t.id, t.subject, t.priority_id, t.created_at, t.assignee_id
  FROM tickets t
  JOIN sla_policies p ON p.workspace_id = t.workspace_id AND p.priority_id = t.priority_id
 WHERE t.workspace_id = $1
   AND t.status = 'open'
   AND t.first_response_at IS NULL
   AND now() - t.created_at > p.first_response_target
   AND (t.created_at, t.id) < ($2, $3)
 ORDER BY t.created_at DESC, t.id DESC
 LIMIT 50;

-- name: GetPriority :one
SELECT id, name, color, sort_order
  FROM ticket_priorities
 WHERE id = $1;

-- name: GetTicket :one
SELECT id, subject, status, priority_id, requester_email, created_at
  FROM tickets
 WHERE id = $1 AND workspace_id = $2;
