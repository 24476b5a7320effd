-- sqlc queries for the ski-lift pass service (PostgreSQL).

-- name: GetPass :one
SELECT pass_id, holder_name, product, valid_from, valid_until, blocked
  FROM lift_passes
 WHERE pass_id = $1;

-- name: RecordScan :exec
INSERT INTO lift_scans (pass_id, lift_id, scanned_at)
VALUES ($1, $2, now());

-- name: BlockPass :execrows
-- Lost or stolen passes are blocked from the ticket desk.
UPDATE lift_passes
   SET blocked = true, blocked_reason = $2, blocked_at = now()
 WHERE pass_id = $1
   AND blocked = false;

-- name: PassRideHistory :many
-- "My rides" screen in the resort app: every lift the pass went through,
-- newest first. Season passes are scanned 20-40 times a day.
SELECT s.scanned_at,
       l.name     AS lift_name,
       l.vertical_m
  FROM lift_scans s
  JOIN lifts l ON l.id = s.lift_id
 WHERE s.pass_id = $1
 ORDER BY s.scanned_at DESC;

-- name: TodayVertical :one
SELECT coalesce(sum(l.vertical_m), 0) AS vertical_m,
       count(*)                        AS rides
  FROM lift_scans s
  JOIN lifts l ON l.id = s.lift_id
 WHERE s.pass_id = $1
   AND s.scanned_at >= date_trunc('day', now());

-- name: LiftQueueNow :many
-- Scans in the last 10 minutes per lift, for the queue estimate board.
SELECT lift_id, count(*) AS scans_10min
  FROM lift_scans
 WHERE scanned_at > now() - interval '10 minutes'
 GROUP BY lift_id
 ORDER BY lift_id
 LIMIT 40;
