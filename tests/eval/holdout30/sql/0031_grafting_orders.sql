-- Migration 0031: heritage apple grafting orders
-- Customers pick a variety and a rootstock; the nursery cuts scion wood in
-- January and grafts to order. A basket reserves scions for 30 minutes while
-- the customer checks out.

BEGIN;

CREATE TABLE apple_varieties (
    id                bigserial PRIMARY KEY,
    nursery_id        bigint NOT NULL REFERENCES nurseries (id),
    name              text NOT NULL,               -- e.g. 'Cornish Gilliflower'
    origin_county     text,
    season            smallint NOT NULL,
    scions_remaining  integer NOT NULL CHECK (scions_remaining >= 0),
    price_pence       integer NOT NULL CHECK (price_pence > 0),
    UNIQUE (nursery_id, season, name)
);

CREATE TABLE grafting_orders (
    id              bigserial PRIMARY KEY,
    nursery_id      bigint NOT NULL REFERENCES nurseries (id),
    order_ref       text NOT NULL,
    customer_email  citext NOT NULL,
    status          text NOT NULL DEFAULT 'placed'
                    CHECK (status IN ('placed', 'grafted', 'dispatched', 'cancelled')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (nursery_id, order_ref)
);

CREATE TABLE grafting_order_lines (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES grafting_orders (id) ON DELETE CASCADE,
    variety_id  bigint NOT NULL REFERENCES apple_varieties (id),
    rootstock   text NOT NULL CHECK (rootstock IN ('M27', 'M9', 'M26', 'MM106', 'M25')),
    scions      smallint NOT NULL CHECK (scions BETWEEN 1 AND 20)
);

CREATE INDEX grafting_orders_nursery_created_idx ON grafting_orders (nursery_id, created_at DESC);
CREATE INDEX grafting_order_lines_order_idx ON grafting_order_lines (order_id);

-- Short-lived basket reservations. Scions are returned to stock by the purge
-- job below when a reservation lapses without checkout.
CREATE TABLE scion_reservations (
    id           bigserial PRIMARY KEY,
    nursery_id   bigint NOT NULL,
    variety_id   bigint NOT NULL REFERENCES apple_varieties (id),
    basket_id    uuid NOT NULL,
    scions       smallint NOT NULL CHECK (scions > 0),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '30 minutes',
    UNIQUE (basket_id, variety_id)
);

CREATE INDEX scion_reservations_expires_idx ON scion_reservations (expires_at);

CREATE OR REPLACE FUNCTION purge_expired_scion_reservations()
RETURNS integer
LANGUAGE sql
AS $$
    WITH expired AS (
        DELETE FROM scion_reservations
         WHERE expires_at < now()
        RETURNING variety_id, scions
    ), returned AS (
        UPDATE apple_varieties v
           SET scions_remaining = v.scions_remaining + e.total
          FROM (SELECT variety_id, sum(scions) AS total FROM expired GROUP BY variety_id) e
         WHERE v.id = e.variety_id
        RETURNING 1
    )
    SELECT count(*)::int FROM expired;
$$;

-- pg_cron is enabled on the managed instance.
SELECT cron.schedule('purge-expired-scion-reservations', '*/5 * * * *',
                     $$SELECT purge_expired_scion_reservations()$$);

COMMIT;
