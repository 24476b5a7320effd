-- Migration 0012: lantern parade workshop places.
-- Each household may hold one place per workshop; places are limited by the
-- number of willow frames the artists can prepare.

CREATE TABLE lantern_workshops (
    id           serial PRIMARY KEY,
    title        text        NOT NULL,             -- 'Willow frames (beginners)', 'Tissue and glue' ...
    venue        text        NOT NULL,
    starts_at    timestamptz NOT NULL,
    capacity     int         NOT NULL CHECK (capacity > 0),
    places_left  int         NOT NULL CHECK (places_left >= 0)
);

CREATE TABLE workshop_places (
    id           bigserial PRIMARY KEY,
    workshop_id  int         NOT NULL REFERENCES lantern_workshops(id) ON DELETE CASCADE,
    household_id bigint      NOT NULL REFERENCES households(id),
    children     smallint    NOT NULL DEFAULT 1 CHECK (children BETWEEN 0 AND 4),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT workshop_places_one_per_household UNIQUE (workshop_id, household_id)
);

CREATE INDEX workshop_places_household_idx ON workshop_places (household_id);

-- Returns the place id, or NULL when the household already had a place.
-- Raises 'workshop_full' (P0002) when no places remain.
CREATE OR REPLACE FUNCTION take_workshop_place(p_workshop_id int, p_household_id bigint, p_children smallint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_place_id bigint;
BEGIN
    INSERT INTO workshop_places (workshop_id, household_id, children)
    VALUES (p_workshop_id, p_household_id, p_children)
    ON CONFLICT ON CONSTRAINT workshop_places_one_per_household DO NOTHING
    RETURNING id INTO v_place_id;

    IF v_place_id IS NULL THEN
        RETURN NULL;
    END IF;

    UPDATE lantern_workshops
       SET places_left = places_left - 1
     WHERE id = p_workshop_id
       AND places_left > 0;

    IF NOT FOUND THEN
        -- aborts the function's transaction, so the INSERT above is undone too
        RAISE EXCEPTION 'workshop_full' USING ERRCODE = 'P0002';
    END IF;

    RETURN v_place_id;
END;
$$;

-- Cancelling gives the place back in the same statement that removes it.
CREATE OR REPLACE FUNCTION cancel_workshop_place(p_workshop_id int, p_household_id bigint)
RETURNS boolean
LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM workshop_places
         WHERE workshop_id = p_workshop_id AND household_id = p_household_id
        RETURNING workshop_id
    )
    UPDATE lantern_workshops w
       SET places_left = w.places_left + 1
      FROM gone
     WHERE w.id = gone.workshop_id
    RETURNING true;
$$;
