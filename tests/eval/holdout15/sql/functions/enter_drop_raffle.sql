-- enter_drop_raffle(drop, customer, size)
-- Called by the storefront API (POST /raffles/:drop/entries) for each entry.
-- Each customer may enter a raffle once; each drop accepts a fixed number of
-- entries (entry_slots) so the draw stays fair per size run.

CREATE OR REPLACE FUNCTION enter_drop_raffle(
    p_drop_id     bigint,
    p_customer_id bigint,
    p_size        text
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_already   boolean;
    v_slots     int;
    v_closes_at timestamptz;
BEGIN
    SELECT EXISTS (
        SELECT 1 FROM raffle_entries
         WHERE drop_id = p_drop_id AND customer_id = p_customer_id
    ) INTO v_already;

    IF v_already THEN
        RETURN 'already_entered';
    END IF;

    SELECT entry_slots, closes_at INTO v_slots, v_closes_at
      FROM sneaker_drops
     WHERE id = p_drop_id;

    IF v_closes_at < now() THEN
        RETURN 'closed';
    END IF;
    IF v_slots <= 0 THEN
        RETURN 'full';
    END IF;

    INSERT INTO raffle_entries (drop_id, customer_id, size, entered_at)
    VALUES (p_drop_id, p_customer_id, p_size, now());

    UPDATE sneaker_drops
       SET entry_slots = v_slots - 1
     WHERE id = p_drop_id;

    RETURN 'entered';
EXCEPTION
    WHEN OTHERS THEN
        RETURN 'try_again';
END;
$$;

-- entries for the draw, pulled by the raffle worker
CREATE OR REPLACE FUNCTION raffle_entries_for_draw(p_drop_id bigint, p_size text)
RETURNS SETOF raffle_entries
LANGUAGE sql STABLE AS $$
    SELECT * FROM raffle_entries
     WHERE drop_id = p_drop_id AND size = p_size
     ORDER BY random()
     LIMIT (SELECT pairs_available FROM drop_sizes WHERE drop_id = p_drop_id AND size = p_size);
$$;
