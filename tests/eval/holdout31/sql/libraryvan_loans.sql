-- Mobile library van: queries used by the driver's tablet app and the nightly
-- overdue reminder job. Every table is scoped by authority_id (one per county council).

-- name: NextStops :many
-- The next stops on today's route, shown on the tablet's home screen.
SELECT s.id, s.seq, s.name, s.arrive_at, s.depart_at
FROM van_stops s
WHERE s.authority_id = $1
  AND s.van_id = $2
  AND s.weekday = extract(isodow FROM current_date)
  AND s.depart_at >= localtime
ORDER BY s.seq
LIMIT 12;

-- name: StopLoanHistory :many
-- Everything ever issued at a stop, so the driver can answer "did I have this before?".
SELECT l.id, l.item_id, i.title, i.author, l.borrower_id, l.issued_on, l.due_on, l.returned_on
FROM van_loans l
JOIN items i ON i.id = l.item_id AND i.authority_id = l.authority_id
WHERE l.authority_id = $1
  AND l.stop_id = $2
ORDER BY l.issued_on DESC;

-- name: IssueItem :one
INSERT INTO van_loans (authority_id, stop_id, item_id, borrower_id, issued_on, due_on)
VALUES ($1, $2, $3, $4, current_date, current_date + 21)
ON CONFLICT (authority_id, item_id) WHERE returned_on IS NULL DO NOTHING
RETURNING id, due_on;

-- Nightly: push a reminder for every loan more than a week overdue.
-- Scheduled with pg_cron: SELECT cron.schedule('overdue-reminders', '15 2 * * *',
--   $$SELECT queue_overdue_reminders(a.id) FROM authorities a$$);
CREATE OR REPLACE FUNCTION queue_overdue_reminders(p_authority int)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    r          record;
    v_borrower record;
    v_sent     int := 0;
BEGIN
    FOR r IN
        SELECT l.id, l.borrower_id, l.item_id, l.due_on, l.stop_id
          FROM van_loans l
         WHERE l.authority_id = p_authority
           AND l.returned_on IS NULL
           AND l.due_on < current_date - 7
    LOOP
        SELECT b.display_name, b.email, b.sms_number, b.prefers_sms INTO v_borrower
          FROM borrowers b
         WHERE b.authority_id = p_authority AND b.id = r.borrower_id;

        CONTINUE WHEN v_borrower.email IS NULL AND v_borrower.sms_number IS NULL;

        PERFORM pg_notify('overdue_reminder', json_build_object(
            'authority', p_authority,
            'loan', r.id,
            'name', v_borrower.display_name,
            'email', v_borrower.email,
            'sms', CASE WHEN v_borrower.prefers_sms THEN v_borrower.sms_number END,
            'due_on', r.due_on
        )::text);
        v_sent := v_sent + 1;
    END LOOP;
    RETURN v_sent;
END;
$$;
