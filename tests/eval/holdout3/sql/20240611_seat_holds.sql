-- 20240611_seat_holds.sql
-- Temporary seat holds while a customer is in checkout. A hold blocks the
-- seat for 10 minutes; after that the seat is considered free again.

BEGIN;

CREATE TABLE seat_holds (
    id           bigserial   PRIMARY KEY,
    event_id     bigint      NOT NULL REFERENCES events (id),
    seat_id      bigint      NOT NULL REFERENCES seats (id),
    customer_id  bigint      NOT NULL REFERENCES customers (id),
    hold_token   uuid        NOT NULL DEFAULT gen_random_uuid(),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '10 minutes',
    converted_at timestamptz
);

CREATE INDEX seat_holds_seat_active_idx ON seat_holds (seat_id, expires_at);
CREATE INDEX seat_holds_customer_idx    ON seat_holds (customer_id);
CREATE UNIQUE INDEX seat_holds_token_idx ON seat_holds (hold_token);

-- Called by the booking API: SELECT hold_seat($1, $2, $3);
CREATE OR REPLACE FUNCTION hold_seat(p_event bigint, p_seat bigint, p_customer bigint)
RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
    v_taken boolean;
    v_token uuid;
BEGIN
    SELECT EXISTS (
               SELECT 1 FROM seat_holds
               WHERE seat_id = p_seat
                 AND expires_at > now()
                 AND converted_at IS NULL)
        OR EXISTS (
               SELECT 1 FROM tickets
               WHERE event_id = p_event AND seat_id = p_seat)
      INTO v_taken;

    IF v_taken THEN
        RAISE EXCEPTION 'seat % is not available', p_seat
              USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO seat_holds (event_id, seat_id, customer_id)
    VALUES (p_event, p_seat, p_customer)
    RETURNING hold_token INTO v_token;

    RETURN v_token;
END;
$$;

-- Turns a live hold into a ticket once payment succeeded.
CREATE OR REPLACE FUNCTION confirm_hold(p_token uuid, p_payment_id text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_hold   seat_holds%ROWTYPE;
    v_ticket bigint;
BEGIN
    UPDATE seat_holds
       SET converted_at = now()
     WHERE hold_token = p_token
       AND converted_at IS NULL
       AND expires_at > now()
    RETURNING * INTO v_hold;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'hold % expired or already used', p_token USING ERRCODE = 'P0002';
    END IF;

    INSERT INTO tickets (event_id, seat_id, customer_id, payment_id)
    VALUES (v_hold.event_id, v_hold.seat_id, v_hold.customer_id, p_payment_id)
    RETURNING id INTO v_ticket;

    RETURN v_ticket;
END;
$$;

COMMIT;
