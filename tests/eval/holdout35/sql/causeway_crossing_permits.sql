-- 0042_causeway_crossing_permits.sql
-- Vehicle permits for the tidal causeway. Each safe crossing window (between
-- two high tides) has a vehicle capacity set by the harbour master. A driver
-- picking a window gets a 15-minute hold while they pay; the hold turns into
-- a permit when the payment callback arrives.

CREATE TABLE causeway_windows (
    id               bigserial PRIMARY KEY,
    opens_at         timestamptz NOT NULL,
    closes_at        timestamptz NOT NULL,
    vehicle_capacity integer     NOT NULL CHECK (vehicle_capacity > 0),
    CHECK (closes_at > opens_at)
);

CREATE TABLE crossing_permits (
    id           bigserial PRIMARY KEY,
    window_id    bigint      NOT NULL REFERENCES causeway_windows(id),
    vehicle_reg  text        NOT NULL,
    driver_email text        NOT NULL,
    issued_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (window_id, vehicle_reg)
);

CREATE TABLE permit_holds (
    id          bigserial PRIMARY KEY,
    window_id   bigint      NOT NULL REFERENCES causeway_windows(id),
    vehicle_reg text        NOT NULL,
    held_until  timestamptz NOT NULL
);

CREATE INDEX permit_holds_window_idx ON permit_holds (window_id, held_until);
CREATE INDEX crossing_permits_window_idx ON crossing_permits (window_id);

-- Called by the booking page when a driver picks a window.
CREATE OR REPLACE FUNCTION hold_crossing(p_window_id bigint, p_vehicle_reg text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_capacity integer;
    v_taken    integer;
    v_hold_id  bigint;
BEGIN
    SELECT vehicle_capacity INTO v_capacity
      FROM causeway_windows
     WHERE id = p_window_id AND opens_at > now();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'crossing window % is not bookable', p_window_id;
    END IF;

    SELECT (SELECT count(*) FROM crossing_permits WHERE window_id = p_window_id)
         + (SELECT count(*) FROM permit_holds
             WHERE window_id = p_window_id AND held_until > now())
      INTO v_taken;

    IF v_taken >= v_capacity THEN
        RAISE EXCEPTION 'crossing window % is full', p_window_id
              USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO permit_holds (window_id, vehicle_reg, held_until)
    VALUES (p_window_id, upper(p_vehicle_reg), now() + interval '15 minutes')
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Called from the payment callback with the hold id we passed as metadata.
CREATE OR REPLACE FUNCTION confirm_crossing(p_hold_id bigint, p_driver_email text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_hold      permit_holds%ROWTYPE;
    v_permit_id bigint;
BEGIN
    SELECT * INTO v_hold FROM permit_holds WHERE id = p_hold_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown hold %', p_hold_id;
    END IF;

    INSERT INTO crossing_permits (window_id, vehicle_reg, driver_email)
    VALUES (v_hold.window_id, v_hold.vehicle_reg, p_driver_email)
    ON CONFLICT (window_id, vehicle_reg) DO UPDATE SET driver_email = EXCLUDED.driver_email
    RETURNING id INTO v_permit_id;

    -- Mark the hold as used so it no longer counts against capacity.
    UPDATE permit_holds SET held_until = now() WHERE id = p_hold_id;

    RETURN v_permit_id;
END;
$$;
