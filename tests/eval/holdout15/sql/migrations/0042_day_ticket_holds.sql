-- 0042_day_ticket_holds.sql
-- Capacity-managed lift tickets: on powder days and holidays we cap sales per
-- ski date. When a guest adds tickets to the cart we hold them for 15 minutes
-- so they can finish checkout.

BEGIN;

CREATE TABLE ski_date_capacity (
    resort_id     int         NOT NULL REFERENCES resorts(id),
    ski_date      date        NOT NULL,
    max_tickets   int         NOT NULL CHECK (max_tickets >= 0),
    sold          int         NOT NULL DEFAULT 0,
    PRIMARY KEY (resort_id, ski_date)
);

CREATE TABLE day_ticket_holds (
    id            bigserial   PRIMARY KEY,
    resort_id     int         NOT NULL,
    ski_date      date        NOT NULL,
    cart_id       uuid        NOT NULL,
    quantity      int         NOT NULL CHECK (quantity BETWEEN 1 AND 8),
    created_at    timestamptz NOT NULL DEFAULT now(),
    hold_until    timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    FOREIGN KEY (resort_id, ski_date) REFERENCES ski_date_capacity (resort_id, ski_date)
);

CREATE INDEX day_ticket_holds_date_idx ON day_ticket_holds (resort_id, ski_date, hold_until);
CREATE INDEX day_ticket_holds_cart_idx ON day_ticket_holds (cart_id);

-- what the booking widget shows: capacity minus sold minus live holds
CREATE VIEW ski_date_availability AS
SELECT c.resort_id,
       c.ski_date,
       c.max_tickets - c.sold
         - COALESCE((SELECT sum(h.quantity)
                       FROM day_ticket_holds h
                      WHERE h.resort_id = c.resort_id
                        AND h.ski_date = c.ski_date
                        AND h.hold_until > now()), 0) AS available
  FROM ski_date_capacity c;

COMMIT;
