-- 0031_channel_manager.sql
-- Channel manager: push availability/rates to OTAs (Booking.com, Expedia, Airbnb)
-- and hold inventory while an OTA booking is being confirmed.
-- Every row belongs to an account (hotel group); the API always passes account_id.

BEGIN;

CREATE TABLE room_types (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts(id),
    property_id bigint NOT NULL REFERENCES properties(id),
    code        text   NOT NULL,
    total_rooms int    NOT NULL CHECK (total_rooms >= 0),
    UNIQUE (account_id, property_id, code)
);

CREATE TABLE daily_rates (
    room_type_id bigint  NOT NULL REFERENCES room_types(id),
    stay_date    date    NOT NULL,
    rate_cents   int     NOT NULL,
    available    int     NOT NULL,
    PRIMARY KEY (room_type_id, stay_date)
);

-- Soft hold while the OTA waits for our confirmation callback.
CREATE TABLE inventory_holds (
    id            bigserial PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts(id),
    room_type_id  bigint NOT NULL REFERENCES room_types(id),
    stay_date     date   NOT NULL,
    channel       text   NOT NULL,
    ota_ref       text   NOT NULL,
    held_until    timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_holds_lookup_idx ON inventory_holds (room_type_id, stay_date, held_until);

CREATE TABLE channel_outbox (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL,
    payload     jsonb  NOT NULL,
    sent_at     timestamptz
);

CREATE INDEX reservations_account_status_idx ON reservations (account_id, status);

-- Rooms still sellable = available minus unexpired holds.
CREATE OR REPLACE FUNCTION sellable_rooms(p_account_id bigint, p_room_type_id bigint, p_date date)
RETURNS int LANGUAGE sql STABLE AS $$
    SELECT dr.available - (SELECT count(*) FROM inventory_holds h
                            WHERE h.account_id = p_account_id
                              AND h.room_type_id = p_room_type_id
                              AND h.stay_date = p_date
                              AND h.held_until > now())
    FROM daily_rates dr
    JOIN room_types rt ON rt.id = dr.room_type_id
    WHERE rt.account_id = p_account_id AND dr.room_type_id = p_room_type_id AND dr.stay_date = p_date;
$$;

-- Queue an ARI (availability/rates/inventory) push for the next 365 days.
CREATE OR REPLACE FUNCTION queue_ari_push(p_account_id bigint, p_property_id bigint)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    rt    record;
    d     date;
    v_dr  daily_rates%ROWTYPE;
    n     int := 0;
BEGIN
    FOR rt IN SELECT id, code FROM room_types
              WHERE account_id = p_account_id AND property_id = p_property_id LOOP
        FOR d IN SELECT generate_series(current_date, current_date + 364, interval '1 day')::date LOOP
            SELECT * INTO v_dr FROM daily_rates WHERE room_type_id = rt.id AND stay_date = d;
            INSERT INTO channel_outbox (account_id, payload)
            VALUES (p_account_id, jsonb_build_object('room', rt.code, 'date', d,
                    'rate', v_dr.rate_cents, 'avail', sellable_rooms(p_account_id, rt.id, d)));
            n := n + 1;
        END LOOP;
    END LOOP;
    RETURN n;
END;
$$;

-- Called by PATCH /v1/accounts/{account_id}/reservations/{id}/cancel
-- and when an OTA sends a cancellation for one of our reservations.
CREATE OR REPLACE FUNCTION cancel_reservation(p_reservation_id bigint)
RETURNS void LANGUAGE sql AS $$
    UPDATE reservations SET status = 'cancelled', cancelled_at = now()
    WHERE id = p_reservation_id;
$$;

COMMIT;
