-- 20240512_pickup_slots.sql
-- Food bank pickup slots: households reserve a 15-minute slot at a
-- distribution site. A reservation is held for 20 minutes until the household
-- confirms by SMS; unconfirmed holds expire and the place goes back to the pool.

CREATE TABLE pickup_slots (
    id          bigserial PRIMARY KEY,
    site_id     bigint      NOT NULL REFERENCES sites(id),
    starts_at   timestamptz NOT NULL,
    capacity    int         NOT NULL CHECK (capacity > 0),
    booked      int         NOT NULL DEFAULT 0,
    CONSTRAINT pickup_slots_not_overbooked CHECK (booked <= capacity),
    UNIQUE (site_id, starts_at)
);

CREATE TABLE slot_reservations (
    id            bigserial PRIMARY KEY,
    slot_id       bigint      NOT NULL REFERENCES pickup_slots(id),
    household_id  bigint      NOT NULL REFERENCES households(id),
    status        text        NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'confirmed', 'collected')),
    hold_expires  timestamptz NOT NULL DEFAULT now() + interval '20 minutes',
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (slot_id, household_id)
);
CREATE INDEX slot_reservations_expiring_idx ON slot_reservations (hold_expires) WHERE status = 'held';

-- Reserve a place: the capacity check and the increment are a single statement,
-- and the unique constraint stops a household double-booking the same slot.
CREATE OR REPLACE FUNCTION reserve_pickup(p_slot_id bigint, p_household_id bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    UPDATE pickup_slots SET booked = booked + 1
     WHERE id = p_slot_id AND booked < capacity;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    INSERT INTO slot_reservations (slot_id, household_id)
    VALUES (p_slot_id, p_household_id)
    ON CONFLICT (slot_id, household_id) DO NOTHING
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN
        RAISE EXCEPTION 'household % already holds slot %', p_household_id, p_slot_id
            USING ERRCODE = 'unique_violation';
    END IF;
    RETURN v_id;
END;
$$;

-- Release expired holds and give the places back. Runs every minute via pg_cron.
CREATE OR REPLACE FUNCTION release_expired_holds()
RETURNS int LANGUAGE sql AS $$
    WITH expired AS (
        DELETE FROM slot_reservations
         WHERE status = 'held' AND hold_expires < now()
        RETURNING slot_id
    ), per_slot AS (
        SELECT slot_id, count(*) AS n FROM expired GROUP BY slot_id
    ), upd AS (
        UPDATE pickup_slots s SET booked = s.booked - per_slot.n
          FROM per_slot WHERE s.id = per_slot.slot_id
        RETURNING 1
    )
    SELECT count(*)::int FROM upd;
$$;

SELECT cron.schedule('release-expired-pickup-holds', '* * * * *', $$SELECT release_expired_holds()$$);
