-- queries/tickets.sql (sqlc, postgres)
-- Helpdesk tickets. Tenancy is by workspace_id on every table.

-- name: ListTickets :many
-- Keyset pagination: pass the last (updated_at, id) seen.
SELECT id, workspace_id, subject, status, priority, assignee_id, updated_at
FROM tickets
WHERE workspace_id = $1
  AND status = ANY(sqlc.arg(statuses)::text[])
  AND (updated_at, id) < (sqlc.arg(before_ts)::timestamptz, sqlc.arg(before_id)::bigint)
ORDER BY updated_at DESC, id DESC
LIMIT sqlc.arg(page_size);

-- name: GetTicket :one
SELECT id, workspace_id, subject, body, status, priority, requester_id,
       assignee_id, version, created_at, updated_at
FROM tickets
WHERE workspace_id = $1 AND id = $2;

-- name: ListLatestCommentsForTickets :many
-- One round trip for a whole page of tickets (no per-ticket query).
SELECT DISTINCT ON (c.ticket_id)
       c.ticket_id, c.id, c.author_id, left(c.body, 200) AS preview, c.created_at
FROM ticket_comments c
WHERE c.workspace_id = $1
  AND c.ticket_id = ANY(sqlc.arg(ticket_ids)::bigint[])
ORDER BY c.ticket_id, c.created_at DESC;

-- name: AssignTicket :one
-- Optimistic concurrency: the client sends the version it last saw.
UPDATE tickets
SET assignee_id = $3,
    version     = version + 1,
    updated_at  = now()
WHERE workspace_id = $1
  AND id = $2
  AND version = sqlc.arg(expected_version)
RETURNING id, assignee_id, version;

-- name: CreateTicket :one
INSERT INTO tickets (workspace_id, subject, body, priority, requester_id)
VALUES ($1, $2, $3, $4, $5)
RETURNING *;

-- name: AddTag :exec
INSERT INTO ticket_tags (workspace_id, ticket_id, tag)
VALUES ($1, $2, $3)
ON CONFLICT (ticket_id, tag) DO NOTHING;

-- name: SearchTickets :many
SELECT id, subject, status, updated_at
FROM tickets
WHERE workspace_id = $1
  AND search_vector @@ websearch_to_tsquery('english', sqlc.arg(q))
ORDER BY ts_rank(search_vector, websearch_to_tsquery('english', sqlc.arg(q))) DESC
LIMIT 25;
