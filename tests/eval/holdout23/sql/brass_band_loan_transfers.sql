-- V14__instrument_reservations_and_transfers.sql
-- Brass band loans: members can reserve an instrument for a rehearsal pick-up
-- and the librarian can hand a loaned instrument straight to another member
-- (e.g. the second cornet passes the flugel on when parts change).
-- All tables are scoped by band_id (one row per band = tenant).

CREATE TABLE instrument_reservations (
    id             bigserial PRIMARY KEY,
    band_id        bigint NOT NULL REFERENCES bands(id),
    instrument_id  bigint NOT NULL REFERENCES instruments(id),
    member_id      bigint NOT NULL REFERENCES members(id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    CONSTRAINT one_reservation_per_instrument UNIQUE (instrument_id)
);

CREATE INDEX instrument_reservations_expires_idx ON instrument_reservations (expires_at);

-- At most one open loan per instrument, enforced by the database.
CREATE UNIQUE INDEX loans_one_open_per_instrument
    ON loans (instrument_id)
    WHERE returned_at IS NULL;

-- Reserve for 48 hours; an expired reservation can be taken over.
CREATE OR REPLACE FUNCTION reserve_instrument(p_band_id bigint, p_instrument_id bigint, p_member_id bigint)
RETURNS boolean
LANGUAGE sql
AS $$
    INSERT INTO instrument_reservations (band_id, instrument_id, member_id, expires_at)
    SELECT p_band_id, i.id, p_member_id, now() + interval '48 hours'
      FROM instruments i
     WHERE i.id = p_instrument_id AND i.band_id = p_band_id AND i.status = 'available'
    ON CONFLICT (instrument_id) DO UPDATE
        SET member_id  = EXCLUDED.member_id,
            created_at = now(),
            expires_at = EXCLUDED.expires_at
      WHERE instrument_reservations.expires_at < now()
    RETURNING true;
$$;

CREATE OR REPLACE FUNCTION transfer_loan(p_band_id bigint, p_instrument_id bigint, p_from_member bigint, p_to_member bigint, p_due_on date)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_loan    loans%ROWTYPE;
    v_new_id  bigint;
BEGIN
    -- Lock the open loan so two librarians cannot hand it on at the same time.
    SELECT * INTO v_loan
      FROM loans
     WHERE band_id = p_band_id
       AND instrument_id = p_instrument_id
       AND returned_at IS NULL
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'instrument % has no open loan', p_instrument_id;
    END IF;
    IF v_loan.member_id <> p_from_member THEN
        RAISE EXCEPTION 'instrument % is on loan to another member', p_instrument_id;
    END IF;

    UPDATE loans SET returned_at = now() WHERE id = v_loan.id;

    INSERT INTO loans (band_id, instrument_id, member_id, lent_at, due_on)
    VALUES (p_band_id, p_instrument_id, p_to_member, now(), p_due_on)
    RETURNING id INTO v_new_id;

    RETURN v_new_id;
END;
$$;

-- Expired reservations are removed every 15 minutes (pg_cron is enabled on the cluster).
SELECT cron.schedule(
    'purge-expired-instrument-reservations',
    '*/15 * * * *',
    $$DELETE FROM instrument_reservations WHERE expires_at < now()$$
);
