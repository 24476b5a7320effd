-- Newsletter platform: outbound send queue and ESP event ingestion.
-- Queries below are the ones the worker and the webhook receiver run
-- (copied from internal/store/*.go for review).

-- Claim the next batch of messages for this worker. Several workers run
-- this concurrently; SKIP LOCKED hands each of them a disjoint batch.
WITH next AS (
    SELECT id
      FROM send_queue
     WHERE workspace_id = ANY($1::bigint[])
       AND status = 'queued' AND not_before <= now()
     ORDER BY priority DESC, id
     LIMIT 200
     FOR UPDATE SKIP LOCKED
)
UPDATE send_queue q
   SET status = 'sending', attempts = q.attempts + 1, claimed_by = $2, claimed_at = now()
  FROM next
 WHERE q.id = next.id
RETURNING q.id, q.workspace_id, q.campaign_id, q.subscriber_id, q.template_id;

-- Render step: system templates are shared by every workspace (footer,
-- double opt-in mail). The table has no workspace column, lookup by id is correct.
SELECT id, subject, html_body, text_body
  FROM system_templates
 WHERE id = $1;

-- Workspace templates are tenant data and always scoped.
SELECT id, subject, html_body, text_body
  FROM workspace_templates
 WHERE workspace_id = $1 AND id = $2;

-- Mark a message delivered to the ESP (only if this worker still owns it).
UPDATE send_queue
   SET status = 'sent', sent_at = now(), esp_message_id = $3
 WHERE id = $1 AND claimed_by = $2 AND status = 'sending';

-- ESP webhook (bounces, opens, unsubscribes). The provider retries on any
-- non-2xx, so the event id is recorded first and repeats are ignored:
-- the handler applies the effects below only when this returns a row.
INSERT INTO esp_events (provider, event_id, workspace_id, kind, payload, received_at)
VALUES ($1, $2, $3, $4, $5, now())
ON CONFLICT (provider, event_id) DO NOTHING
RETURNING event_id;

-- Effects of an 'unsubscribe' event.
UPDATE subscribers
   SET status = 'unsubscribed', unsubscribed_at = now()
 WHERE workspace_id = $1 AND email = $2 AND status <> 'unsubscribed';

UPDATE campaign_stats
   SET unsubscribes = unsubscribes + 1
 WHERE workspace_id = $1 AND campaign_id = $3;

-- Nightly retention (scheduled in the worker's cron): sent rows and raw
-- events are kept 30 days for support, then deleted in chunks.
DELETE FROM send_queue
 WHERE id IN (SELECT id FROM send_queue
               WHERE status IN ('sent', 'failed') AND coalesce(sent_at, claimed_at) < now() - interval '30 days'
               LIMIT 10000);

DELETE FROM esp_events
 WHERE (provider, event_id) IN (SELECT provider, event_id FROM esp_events
                                 WHERE received_at < now() - interval '30 days'
                                 LIMIT 10000);
