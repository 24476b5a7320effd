-- 20240311_reservation_holds.sql
-- While a guest is on the checkout page we hold the table for 8 minutes.
-- Requires btree_gist (for the exclusion constraint) and pg_cron.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_cron;

CREATE TABLE table_holds (
    id             bigserial   PRIMARY KEY,
    restaurant_id  bigint      NOT NULL REFERENCES restaurants(id),
    table_id       bigint      NOT NULL REFERENCES dining_tables(id),
    seating        tstzrange   NOT NULL,
    session_token  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL DEFAULT now() + interval '8 minutes',
    UNIQUE (session_token, table_id)
);

CREATE INDEX table_holds_expires_idx ON table_holds (expires_at);

-- Two live holds can't overlap on the same table. Expired ones are removed by the
-- purge job below (and ignored by the availability query in between).
ALTER TABLE table_holds
    ADD CONSTRAINT table_holds_no_overlap
    EXCLUDE USING gist (table_id WITH =, seating WITH &&);

CREATE OR REPLACE FUNCTION hold_table(p_restaurant bigint, p_table bigint, p_seating tstzrange, p_token text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    -- clear this table's stale holds first so they don't trip the constraint
    DELETE FROM table_holds
     WHERE table_id = p_table AND expires_at < now();

    INSERT INTO table_holds (restaurant_id, table_id, seating, session_token)
    VALUES (p_restaurant, p_table, p_seating, p_token)
    ON CONFLICT (session_token, table_id) DO UPDATE
        SET expires_at = now() + interval '8 minutes'
    RETURNING id INTO v_id;

    RETURN v_id;
EXCEPTION
    WHEN exclusion_violation THEN
        RETURN NULL;  -- someone else is holding it; caller shows "just taken"
END;
$$;

SELECT cron.schedule(
    'purge-expired-table-holds',
    '*/5 * * * *',
    $$DELETE FROM table_holds WHERE expires_at < now() - interval '5 minutes'$$
);
