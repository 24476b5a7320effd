-- V14__vet_van_appointment_holds.sql
-- The mobile vet vans stop in each village for half a day. Owners pick an
-- appointment at a stop in the app; the slot is held for 10 minutes while
-- they enter the animal's details, then confirmed.

CREATE TABLE van_stops (
    id           bigserial PRIMARY KEY,
    van_id       integer     NOT NULL REFERENCES vans (id),
    village      text        NOT NULL,
    arrives_at   timestamptz NOT NULL,
    leaves_at    timestamptz NOT NULL,
    capacity     integer     NOT NULL CHECK (capacity > 0)
);

CREATE TABLE van_stop_holds (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    stop_id      bigint      NOT NULL REFERENCES van_stops (id),
    owner_id     bigint      NOT NULL,
    animal_kind  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

CREATE INDEX van_stop_holds_stop_expires_idx ON van_stop_holds (stop_id, expires_at);

CREATE TABLE van_appointments (
    id           bigserial PRIMARY KEY,
    stop_id      bigint      NOT NULL REFERENCES van_stops (id),
    owner_id     bigint      NOT NULL,
    hold_id      uuid        UNIQUE,
    animal_name  text        NOT NULL,
    reason       text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Returns the hold id, or NULL when the stop is full.
CREATE OR REPLACE FUNCTION hold_van_appointment(p_stop_id bigint, p_owner_id bigint, p_kind text)
RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
    v_capacity integer;
    v_used     integer;
    v_hold_id  uuid;
BEGIN
    SELECT s.capacity,
           (SELECT count(*) FROM van_appointments a WHERE a.stop_id = s.id)
         + (SELECT count(*) FROM van_stop_holds h
             WHERE h.stop_id = s.id AND h.expires_at > now())
      INTO v_capacity, v_used
      FROM van_stops s
     WHERE s.id = p_stop_id;

    IF v_used >= v_capacity THEN
        RETURN NULL;
    END IF;

    INSERT INTO van_stop_holds (stop_id, owner_id, animal_kind, expires_at)
    VALUES (p_stop_id, p_owner_id, p_kind, now() + interval '10 minutes')
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Converts a live hold into an appointment. Expired holds are ignored.
CREATE OR REPLACE FUNCTION confirm_van_appointment(p_hold_id uuid, p_animal text, p_reason text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_appt_id bigint;
BEGIN
    INSERT INTO van_appointments (stop_id, owner_id, hold_id, animal_name, reason)
    SELECT h.stop_id, h.owner_id, h.id, p_animal, p_reason
      FROM van_stop_holds h
     WHERE h.id = p_hold_id AND h.expires_at > now()
    ON CONFLICT (hold_id) DO NOTHING
    RETURNING id INTO v_appt_id;

    RETURN v_appt_id;
END;
$$;
