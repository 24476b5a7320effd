-- Pottery kiln firing queue (PostgreSQL 16, pg_cron enabled on the instance).
-- Potters put a shelf hold on the next firing of a kiln while they finish
-- glazing; the hold lapses after 24 hours if they don't confirm.

CREATE TABLE kiln_shelf_holds (
    id          bigserial PRIMARY KEY,
    studio_id   int         NOT NULL,
    firing_id   bigint      NOT NULL REFERENCES kiln_firings(id) ON DELETE CASCADE,
    potter_id   bigint      NOT NULL,
    shelf_cm2   numeric(7,1) NOT NULL CHECK (shelf_cm2 > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '24 hours',
    UNIQUE (firing_id, potter_id)
);

CREATE INDEX kiln_shelf_holds_expiry_idx ON kiln_shelf_holds (expires_at);

-- Place or refresh a hold; a second tap just extends the existing one.
-- The firing row is locked so two holds can't both take the last shelf space.
CREATE OR REPLACE FUNCTION hold_shelf(p_studio_id int, p_firing_id bigint, p_potter_id bigint, p_cm2 numeric)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_capacity numeric;
    v_used     numeric;
    v_hold_id  bigint;
BEGIN
    SELECT shelf_capacity_cm2 INTO v_capacity
    FROM kiln_firings
    WHERE id = p_firing_id AND studio_id = p_studio_id AND status = 'loading'
    FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'firing % is not taking pots', p_firing_id USING ERRCODE = 'P0002';
    END IF;

    SELECT coalesce(sum(shelf_cm2), 0) INTO v_used
    FROM kiln_shelf_holds
    WHERE firing_id = p_firing_id AND potter_id <> p_potter_id AND expires_at > now();

    IF v_used + p_cm2 > v_capacity THEN
        RAISE EXCEPTION 'not enough shelf space left' USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO kiln_shelf_holds (studio_id, firing_id, potter_id, shelf_cm2)
    VALUES (p_studio_id, p_firing_id, p_potter_id, p_cm2)
    ON CONFLICT (firing_id, potter_id)
    DO UPDATE SET shelf_cm2 = EXCLUDED.shelf_cm2, expires_at = now() + interval '24 hours'
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Kiln-side worker: take the next firing that is ready to program.
-- SKIP LOCKED lets the two controller Pis poll the same table safely.
-- name: claim_next_firing
UPDATE kiln_firings
SET status = 'firing', started_at = now()
WHERE id = (
    SELECT id
    FROM kiln_firings
    WHERE studio_id = $1 AND status = 'loaded'
    ORDER BY scheduled_for
    FOR UPDATE SKIP LOCKED
    LIMIT 1
)
RETURNING id, kiln_id, program;

-- Lapsed holds are removed every 15 minutes so the shelf plan stays honest
-- and the table stays small.
SELECT cron.schedule(
    'purge-lapsed-kiln-holds',
    '*/15 * * * *',
    $$DELETE FROM kiln_shelf_holds WHERE expires_at < now()$$
);
