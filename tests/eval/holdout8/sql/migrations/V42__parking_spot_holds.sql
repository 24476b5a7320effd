-- V42: short holds on a parking spot while the driver completes checkout in the app.
-- A hold blocks the spot for 10 minutes; after that the spot is bookable again.

BEGIN;

CREATE TABLE spot_holds (
    id          bigserial PRIMARY KEY,
    garage_id   bigint      NOT NULL REFERENCES garages (id),
    spot_id     bigint      NOT NULL REFERENCES spots (id),
    driver_id   bigint      NOT NULL REFERENCES drivers (id),
    plate       text        NOT NULL,
    held_until  timestamptz NOT NULL DEFAULT now() + interval '10 minutes',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX spot_holds_spot_until_idx ON spot_holds (spot_id, held_until);
CREATE INDEX spot_holds_driver_idx     ON spot_holds (driver_id);

-- Spots that are free right now (no active hold, no overlapping reservation).
CREATE OR REPLACE VIEW available_spots AS
SELECT s.id, s.garage_id, s.level, s.label, s.spot_type
  FROM spots s
 WHERE s.out_of_service = false
   AND NOT EXISTS (SELECT 1 FROM spot_holds h
                    WHERE h.spot_id = s.id AND h.held_until > now())
   AND NOT EXISTS (SELECT 1 FROM reservations r
                    WHERE r.spot_id = s.id AND r.status = 'active'
                      AND now() BETWEEN r.starts_at AND r.ends_at);

-- Called by the API when the driver taps "Hold this spot".
-- The spot row is locked so two drivers can't hold it at the same time.
CREATE OR REPLACE FUNCTION hold_spot(p_spot_id bigint, p_driver_id bigint, p_plate text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_garage_id bigint;
    v_hold_id   bigint;
BEGIN
    SELECT garage_id INTO v_garage_id
      FROM spots
     WHERE id = p_spot_id AND out_of_service = false
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'spot % not found', p_spot_id USING ERRCODE = 'no_data_found';
    END IF;

    IF EXISTS (SELECT 1 FROM spot_holds
                WHERE spot_id = p_spot_id AND held_until > now()) THEN
        RETURN NULL;  -- someone else is holding it
    END IF;

    INSERT INTO spot_holds (garage_id, spot_id, driver_id, plate)
    VALUES (v_garage_id, p_spot_id, p_driver_id, p_plate)
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

COMMIT;
