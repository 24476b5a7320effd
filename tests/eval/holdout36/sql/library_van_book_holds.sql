-- Migration 0031: book holds for the mobile library van.
-- A borrower can ask for a book to be brought to their village stop; the
-- hold lasts until the van's next visit plus two days, then lapses.

BEGIN;

CREATE TABLE van_book_holds (
    id            bigserial   PRIMARY KEY,
    book_copy_id  bigint      NOT NULL REFERENCES book_copies(id),
    borrower_id   bigint      NOT NULL REFERENCES borrowers(id),
    stop_id       integer     NOT NULL REFERENCES van_stops(id),
    placed_at     timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    collected_at  timestamptz
);

-- One live hold per physical copy.
CREATE UNIQUE INDEX van_book_holds_one_live_per_copy
    ON van_book_holds (book_copy_id)
    WHERE collected_at IS NULL;

CREATE INDEX van_book_holds_expires_idx ON van_book_holds (expires_at)
    WHERE collected_at IS NULL;

-- Place a hold; returns NULL when the copy is already held for someone.
CREATE OR REPLACE FUNCTION place_van_hold(p_copy_id bigint, p_borrower_id bigint, p_stop_id integer)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_next_visit date;
    v_hold_id    bigint;
BEGIN
    SELECT min(v.visit_on) INTO v_next_visit
      FROM stop_visits v
     WHERE v.stop_id = p_stop_id AND v.visit_on >= current_date;

    -- A lapsed, uncollected hold on this copy no longer counts.
    DELETE FROM van_book_holds
     WHERE book_copy_id = p_copy_id AND collected_at IS NULL AND expires_at < now();

    INSERT INTO van_book_holds (book_copy_id, borrower_id, stop_id, expires_at)
    VALUES (p_copy_id, p_borrower_id, p_stop_id,
            coalesce(v_next_visit, current_date + 14) + interval '2 days')
    ON CONFLICT (book_copy_id) WHERE collected_at IS NULL DO NOTHING
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Nightly purge: lapsed holds after a week, collected ones after 90 days
-- (loan history lives in van_loans, not here).
CREATE OR REPLACE FUNCTION purge_lapsed_van_holds()
RETURNS integer
LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM van_book_holds
         WHERE (collected_at IS NULL AND expires_at < now() - interval '7 days')
            OR collected_at < now() - interval '90 days'
        RETURNING 1
    )
    SELECT count(*)::int FROM gone;
$$;

SELECT cron.schedule('purge-lapsed-van-holds', '15 3 * * *', $$SELECT purge_lapsed_van_holds()$$);

COMMIT;
