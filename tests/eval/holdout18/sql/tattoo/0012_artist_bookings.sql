-- 0012_artist_bookings.sql
-- Move double-booking protection into the database and expire unpaid holds.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_cron;

CREATE TABLE artist_bookings (
    id            bigserial PRIMARY KEY,
    studio_id     bigint      NOT NULL REFERENCES studios(id),
    artist_id     bigint      NOT NULL REFERENCES artists(id),
    client_id     bigint      NOT NULL REFERENCES clients(id),
    session       tstzrange   NOT NULL,
    piece_notes   text,
    status        text        NOT NULL DEFAULT 'confirmed'
                  CHECK (status IN ('confirmed', 'completed', 'cancelled', 'no_show')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- an artist can't be in two chairs at once; cancelled rows don't count
    CONSTRAINT artist_bookings_no_overlap
        EXCLUDE USING gist (artist_id WITH =, session WITH &&)
        WHERE (status <> 'cancelled')
);

CREATE INDEX artist_bookings_studio_day_idx ON artist_bookings (studio_id, lower(session));

-- Deposit holds: the slot is held for 15 minutes while the client pays the deposit.
CREATE TABLE deposit_holds (
    id            bigserial PRIMARY KEY,
    studio_id     bigint      NOT NULL REFERENCES studios(id),
    artist_id     bigint      NOT NULL REFERENCES artists(id),
    session       tstzrange   NOT NULL,
    client_email  text        NOT NULL,
    payment_ref   text        UNIQUE,
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '15 minutes'
);

CREATE INDEX deposit_holds_expires_idx ON deposit_holds (expires_at);

-- Sweep expired holds every 5 minutes (pg_cron runs in the postgres db).
SELECT cron.schedule(
    'expire-deposit-holds',
    '*/5 * * * *',
    $$DELETE FROM deposit_holds WHERE expires_at < now() - interval '1 minute'$$
);

-- Convert a paid hold into a booking. The exclusion constraint rejects the
-- insert if someone else booked an overlapping session in the meantime.
CREATE OR REPLACE FUNCTION confirm_deposit(p_payment_ref text, p_client_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_hold deposit_holds%ROWTYPE;
    v_id   bigint;
BEGIN
    DELETE FROM deposit_holds
     WHERE payment_ref = p_payment_ref
       AND expires_at > now()
    RETURNING * INTO v_hold;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'hold % expired or unknown', p_payment_ref USING ERRCODE = 'P0002';
    END IF;

    INSERT INTO artist_bookings (studio_id, artist_id, client_id, session)
    VALUES (v_hold.studio_id, v_hold.artist_id, p_client_id, v_hold.session)
    RETURNING id INTO v_id;

    RETURN v_id;
EXCEPTION
    WHEN exclusion_violation THEN
        RAISE WARNING 'confirm_deposit %: slot taken (%)', p_payment_ref, SQLERRM;
        RAISE;
END;
$$;
