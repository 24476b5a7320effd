-- migrate:up
-- 0031_rally_entry_holds.sql
-- When an entrant starts the online entry form we hold a place in the
-- vehicle class for 30 minutes while they upload the MOT exemption and pay.

CREATE TABLE rally_classes (
    id          bigserial PRIMARY KEY,
    rally_id    bigint NOT NULL REFERENCES rallies(id),
    name        text NOT NULL,          -- e.g. 'Pre-1960 half-cab double deck'
    capacity    int NOT NULL CHECK (capacity > 0),
    UNIQUE (rally_id, name)
);

CREATE TABLE entry_holds (
    id           bigserial PRIMARY KEY,
    class_id     bigint NOT NULL REFERENCES rally_classes(id),
    entrant_id   bigint NOT NULL,
    vehicle_reg  text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '30 minutes',
    converted    boolean NOT NULL DEFAULT false
);

CREATE INDEX entry_holds_class_live_idx ON entry_holds (class_id, expires_at) WHERE NOT converted;

CREATE TABLE rally_entries (
    id           bigserial PRIMARY KEY,
    class_id     bigint NOT NULL REFERENCES rally_classes(id),
    entrant_id   bigint NOT NULL,
    vehicle_reg  text NOT NULL,
    status       text NOT NULL DEFAULT 'confirmed',
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (class_id, vehicle_reg)
);

-- Returns the hold id, or NULL when the class is full.
CREATE OR REPLACE FUNCTION hold_rally_place(p_class_id bigint, p_entrant_id bigint, p_reg text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_free    int;
    v_hold_id bigint;
BEGIN
    SELECT c.capacity
           - (SELECT count(*) FROM entry_holds h
               WHERE h.class_id = c.id AND NOT h.converted AND h.expires_at > now())
           - (SELECT count(*) FROM rally_entries e
               WHERE e.class_id = c.id AND e.status = 'confirmed')
      INTO v_free
      FROM rally_classes c
     WHERE c.id = p_class_id;

    IF v_free IS NULL THEN
        RAISE EXCEPTION 'unknown class %', p_class_id;
    END IF;
    IF v_free <= 0 THEN
        RETURN NULL;
    END IF;

    INSERT INTO entry_holds (class_id, entrant_id, vehicle_reg)
    VALUES (p_class_id, p_entrant_id, upper(replace(p_reg, ' ', '')))
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Called by the payment callback once the entry fee has cleared.
CREATE OR REPLACE FUNCTION confirm_rally_entry(p_hold_id bigint)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_hold  entry_holds%ROWTYPE;
    v_entry bigint;
BEGIN
    UPDATE entry_holds SET converted = true
     WHERE id = p_hold_id AND NOT converted AND expires_at > now()
    RETURNING * INTO v_hold;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'hold % already used or missing', p_hold_id;
    END IF;

    INSERT INTO rally_entries (class_id, entrant_id, vehicle_reg)
    VALUES (v_hold.class_id, v_hold.entrant_id, v_hold.vehicle_reg)
    ON CONFLICT (class_id, vehicle_reg) DO UPDATE SET status = 'confirmed'
    RETURNING id INTO v_entry;

    RETURN v_entry;
END;
$$;

-- migrate:down
DROP FUNCTION IF EXISTS confirm_rally_entry(bigint);
DROP FUNCTION IF EXISTS hold_rally_place(bigint, bigint, text);
DROP TABLE IF EXISTS rally_entries;
DROP TABLE IF EXISTS entry_holds;
DROP TABLE IF EXISTS rally_classes;
