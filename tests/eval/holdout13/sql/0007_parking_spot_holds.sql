-- 0007_parking_spot_holds.sql
-- Lets the booking site hold a specific covered spot (lots P3/P5) for 15 minutes
-- while the customer enters card details. Confirmed bookings go to spot_bookings.

BEGIN;

CREATE TABLE parking_spot_holds (
    id           bigserial PRIMARY KEY,
    lot_code     text        NOT NULL REFERENCES parking_lots(code),
    spot_no      integer     NOT NULL,
    customer_id  bigint      NOT NULL REFERENCES customers(id),
    arrive_on    date        NOT NULL,
    depart_on    date        NOT NULL,
    hold_until   timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX parking_spot_holds_spot_idx
    ON parking_spot_holds (lot_code, spot_no, hold_until);

CREATE TABLE spot_bookings (
    id           bigserial PRIMARY KEY,
    hold_id      bigint      UNIQUE REFERENCES parking_spot_holds(id),
    lot_code     text        NOT NULL,
    spot_no      integer     NOT NULL,
    customer_id  bigint      NOT NULL,
    arrive_on    date        NOT NULL,
    depart_on    date        NOT NULL,
    paid_cents   integer     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Called from the booking API: SELECT hold_spot($1, $2, $3, $4, $5);
CREATE OR REPLACE FUNCTION hold_spot(
    p_lot text, p_spot integer, p_customer bigint, p_arrive date, p_depart date
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_conflicts integer;
    v_hold_id   bigint;
BEGIN
    SELECT count(*) INTO v_conflicts
      FROM parking_spot_holds h
     WHERE h.lot_code = p_lot
       AND h.spot_no = p_spot
       AND h.hold_until > now()
       AND daterange(h.arrive_on, h.depart_on) && daterange(p_arrive, p_depart);

    IF v_conflicts = 0 THEN
        SELECT count(*) INTO v_conflicts
          FROM spot_bookings b
         WHERE b.lot_code = p_lot AND b.spot_no = p_spot
           AND daterange(b.arrive_on, b.depart_on) && daterange(p_arrive, p_depart);
    END IF;

    IF v_conflicts > 0 THEN
        RAISE EXCEPTION 'spot %/% is not available', p_lot, p_spot
            USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO parking_spot_holds (lot_code, spot_no, customer_id, arrive_on, depart_on)
    VALUES (p_lot, p_spot, p_customer, p_arrive, p_depart)
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

COMMIT;
