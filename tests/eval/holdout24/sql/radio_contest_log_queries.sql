-- Amateur radio contest log server (PostgreSQL, sqlc).
-- Each organising club hosts its own contests on the server; club_id scopes every
-- query and is taken from the organiser's API key, never from the request body.

-- name: ListContests :many
SELECT id, name, starts_at, ends_at, mode, status
FROM contests
WHERE club_id = @club_id
ORDER BY starts_at DESC
LIMIT @page_size OFFSET @page_offset;

-- name: GetContest :one
SELECT id, club_id, name, starts_at, ends_at, mode, exchange_format, status
FROM contests
WHERE club_id = @club_id AND id = @contest_id;

-- name: UpsertSubmission :one
-- Re-uploading a Cabrillo file replaces the station's previous submission.
INSERT INTO submissions (club_id, contest_id, callsign, category, claimed_score, uploaded_at)
VALUES (@club_id, @contest_id, upper(@callsign), @category, @claimed_score, now())
ON CONFLICT (contest_id, callsign) DO UPDATE
SET category      = EXCLUDED.category,
    claimed_score = EXCLUDED.claimed_score,
    uploaded_at   = EXCLUDED.uploaded_at
RETURNING id;

-- name: InsertQSOs :exec
-- All QSOs of one upload in a single statement; duplicates of the same contact are ignored.
INSERT INTO qsos (club_id, submission_id, worked_call, band, mode, sent_exch, rcvd_exch, logged_at)
SELECT @club_id, @submission_id, q.worked_call, q.band, q.mode, q.sent_exch, q.rcvd_exch, q.logged_at
FROM unnest(@worked_calls::text[], @bands::text[], @modes::text[], @sent::text[], @rcvd::text[], @logged::timestamptz[])
     AS q(worked_call, band, mode, sent_exch, rcvd_exch, logged_at)
ON CONFLICT (submission_id, worked_call, band, mode) DO NOTHING;

-- name: AddCheckedPoints :exec
-- The cross-check job adds points for each batch of verified QSOs.
UPDATE submissions
SET checked_score = checked_score + @points,
    checked_qsos  = checked_qsos + @qso_count
WHERE club_id = @club_id AND id = @submission_id;

-- name: ListSubmissionQSOs :many
-- Log viewer, keyset pagination on (logged_at, id).
SELECT id, worked_call, band, mode, sent_exch, rcvd_exch, logged_at, status
FROM qsos
WHERE club_id = @club_id
  AND submission_id = @submission_id
  AND (logged_at, id) > (@after_logged_at, @after_id)
ORDER BY logged_at, id
LIMIT 100;

-- name: Leaderboard :many
-- Reads the scores stored on submissions by the cross-check job; no per-view aggregation.
SELECT callsign, category, checked_score, checked_qsos
FROM submissions
WHERE club_id = @club_id AND contest_id = @contest_id
ORDER BY checked_score DESC
LIMIT 50;
