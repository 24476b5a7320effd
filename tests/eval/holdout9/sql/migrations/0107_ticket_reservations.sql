-- 0107_ticket_reservations.sql
-- Timed-entry tickets are reserved for 15 minutes during checkout.
-- Expired reservations release their capacity and are purged by pg_cron.

CREATE TABLE ticket_reservations (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    museum_id     bigint      NOT NULL REFERENCES museums(id),
    slot_id       bigint      NOT NULL REFERENCES entry_slots(id),
    visitor_email text        NOT NULL,
    quantity      smallint    NOT NULL CHECK (quantity BETWEEN 1 AND 10),
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ticket_reservations_expires_idx ON ticket_reservations (expires_at);
CREATE INDEX ticket_reservations_slot_idx    ON ticket_reservations (museum_id, slot_id);

ALTER TABLE entry_slots
    ADD COLUMN reserved smallint NOT NULL DEFAULT 0,
    ADD CONSTRAINT entry_slots_not_oversold CHECK (reserved + sold <= capacity);

-- Reserve atomically: the conditional UPDATE only succeeds when capacity is left.
CREATE OR REPLACE FUNCTION reserve_tickets(p_museum_id bigint, p_slot_id bigint, p_email text, p_qty smallint)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid;
BEGIN
    UPDATE entry_slots
       SET reserved = reserved + p_qty
     WHERE id = p_slot_id
       AND museum_id = p_museum_id
       AND reserved + sold + p_qty <= capacity;

    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    INSERT INTO ticket_reservations (museum_id, slot_id, visitor_email, quantity)
    VALUES (p_museum_id, p_slot_id, p_email, p_qty)
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

CREATE OR REPLACE FUNCTION purge_expired_reservations() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_count integer;
BEGIN
    WITH gone AS (
        DELETE FROM ticket_reservations
         WHERE expires_at < now()
        RETURNING slot_id, quantity
    ), per_slot AS (
        SELECT slot_id, sum(quantity) AS qty FROM gone GROUP BY slot_id
    )
    UPDATE entry_slots s
       SET reserved = s.reserved - p.qty
      FROM per_slot p
     WHERE s.id = p.slot_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

SELECT cron.schedule('purge-ticket-reservations', '* * * * *', $$SELECT purge_expired_reservations()$$);
