-- 20240311_0900_balloon_seat_holds.sql
-- Seat holds for balloon flights: the booking page puts seats on hold for
-- 15 minutes while the customer pays; the checkout service converts the hold
-- into a booking on payment success.

BEGIN;

CREATE TABLE flights (
    id             bigserial PRIMARY KEY,
    launch_site    text        NOT NULL,
    pilot_id       bigint      NOT NULL REFERENCES pilots (id),
    departs_at     timestamptz NOT NULL,
    basket_seats   smallint    NOT NULL CHECK (basket_seats BETWEEN 2 AND 16),
    status         text        NOT NULL DEFAULT 'scheduled'
);

CREATE TABLE seat_holds (
    id             bigserial PRIMARY KEY,
    flight_id      bigint      NOT NULL REFERENCES flights (id),
    session_token  text        NOT NULL,
    seats          smallint    NOT NULL CHECK (seats > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL DEFAULT now() + interval '15 minutes'
);

CREATE INDEX seat_holds_flight_active_idx ON seat_holds (flight_id, expires_at);

CREATE TABLE bookings (
    id             bigserial PRIMARY KEY,
    flight_id      bigint      NOT NULL REFERENCES flights (id),
    customer_email text        NOT NULL,
    seats          smallint    NOT NULL CHECK (seats > 0),
    paid_cents     integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Seats still sellable = basket seats - booked - live holds.
CREATE VIEW flight_availability AS
SELECT f.id AS flight_id,
       f.departs_at,
       f.basket_seats
         - coalesce((SELECT sum(b.seats) FROM bookings b WHERE b.flight_id = f.id), 0)
         - coalesce((SELECT sum(h.seats) FROM seat_holds h
                      WHERE h.flight_id = f.id AND h.expires_at > now()), 0) AS seats_left
  FROM flights f
 WHERE f.status = 'scheduled';

COMMIT;
