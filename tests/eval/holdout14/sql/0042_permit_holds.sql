-- 0042_permit_holds.sql
-- Residential permit waitlist: when a zone has room, the next applicant on the waitlist
-- gets a 48-hour hold to pay for the permit. Called from the permits API
-- (POST /waitlist/{id}/offer) as SELECT claim_permit_hold($1, $2, $3).

BEGIN;

CREATE TABLE IF NOT EXISTS permit_zones (
    id                serial PRIMARY KEY,
    code              text    NOT NULL UNIQUE,          -- 'R7', 'R12-North'
    capacity          integer NOT NULL CHECK (capacity >= 0),
    annual_fee_cents  integer NOT NULL
);

CREATE TABLE permit_holds (
    id            bigserial   PRIMARY KEY,
    zone_id       integer     NOT NULL REFERENCES permit_zones (id),
    applicant_id  bigint      NOT NULL REFERENCES applicants (id),
    plate         text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    hold_until    timestamptz NOT NULL DEFAULT now() + interval '48 hours'
);

CREATE INDEX permit_holds_zone_until_idx ON permit_holds (zone_id, hold_until);
CREATE INDEX permit_holds_applicant_idx  ON permit_holds (applicant_id);

-- Returns the new hold id, or NULL when the zone is full.
CREATE OR REPLACE FUNCTION claim_permit_hold(p_zone integer, p_applicant bigint, p_plate text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_capacity integer;
    v_used     integer;
    v_id       bigint;
BEGIN
    SELECT capacity INTO v_capacity FROM permit_zones WHERE id = p_zone;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown zone %', p_zone;
    END IF;

    -- active permits plus holds that haven't lapsed yet
    SELECT (SELECT count(*) FROM permits      WHERE zone_id = p_zone AND status = 'active')
         + (SELECT count(*) FROM permit_holds WHERE zone_id = p_zone AND hold_until > now())
      INTO v_used;

    IF v_used >= v_capacity THEN
        RETURN NULL;
    END IF;

    INSERT INTO permit_holds (zone_id, applicant_id, plate)
    VALUES (p_zone, p_applicant, p_plate)
    RETURNING id INTO v_id;

    RETURN v_id;
END;
$$;

-- Payment succeeded: turn the hold into a permit. permits.hold_id is UNIQUE (0039), so a
-- repeated payment callback is a no-op.
CREATE OR REPLACE FUNCTION convert_hold(p_hold bigint)
RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO permits (hold_id, zone_id, applicant_id, plate, status, starts_on, expires_on)
    SELECT id, zone_id, applicant_id, plate, 'active', current_date, current_date + interval '1 year'
      FROM permit_holds
     WHERE id = p_hold AND hold_until > now()
    ON CONFLICT (hold_id) DO NOTHING
    RETURNING id;
$$;

COMMIT;
