-- Makerspace 3D-printer queue: monthly print-minute quotas per member.
-- Used by the queue web app when a member submits a job, and by the printer
-- workers when a job fails (minutes are refunded).

CREATE TABLE member_print_quota (
    member_id      bigint  NOT NULL REFERENCES members(id),
    month          date    NOT NULL,              -- first day of the month
    limit_minutes  integer NOT NULL DEFAULT 600,
    used_minutes   integer NOT NULL DEFAULT 0 CHECK (used_minutes >= 0),
    PRIMARY KEY (member_id, month)
);

-- Reserve minutes for a new job. The guard lives in the UPDATE itself, so two
-- submissions from the same member cannot both squeeze under the limit.
CREATE OR REPLACE FUNCTION reserve_print_minutes(p_member_id bigint, p_minutes integer)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_month date := date_trunc('month', now())::date;
BEGIN
    INSERT INTO member_print_quota (member_id, month)
    VALUES (p_member_id, v_month)
    ON CONFLICT (member_id, month) DO NOTHING;

    UPDATE member_print_quota
    SET used_minutes = used_minutes + p_minutes
    WHERE member_id = p_member_id
      AND month = v_month
      AND used_minutes + p_minutes <= limit_minutes;

    RETURN FOUND;
END;
$$;

-- Give minutes back when a job fails or is cancelled before printing.
CREATE OR REPLACE FUNCTION refund_print_minutes(p_member_id bigint, p_month date, p_minutes integer)
RETURNS void
LANGUAGE sql AS $$
    UPDATE member_print_quota
    SET used_minutes = greatest(used_minutes - p_minutes, 0)
    WHERE member_id = p_member_id AND month = p_month;
$$;

-- Queue page: the member's own jobs, newest first, one page at a time.
SELECT j.id, j.file_name, j.material, j.status, j.est_minutes, j.queued_at, j.printer_id
FROM print_jobs j
WHERE j.member_id = $1
  AND j.queued_at < $2            -- cursor: queued_at of the last row on the previous page
ORDER BY j.queued_at DESC
LIMIT 20;

-- Queue page header: how many queued jobs are ahead of one of the member's jobs.
-- The queue is a few dozen rows at most and print_jobs has a partial index on status = 'queued'.
SELECT count(*) AS ahead
FROM print_jobs q
JOIN print_jobs mine ON mine.id = $1 AND mine.member_id = $2
WHERE q.status = 'queued'
  AND q.material = mine.material
  AND (q.priority > mine.priority
       OR (q.priority = mine.priority AND q.queued_at < mine.queued_at));
