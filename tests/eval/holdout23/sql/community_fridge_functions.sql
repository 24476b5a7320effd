-- Community fridge network
-- Volunteers log donations into the fridges around town; collectors take
-- portions through the kiosk tablet on each fridge. These functions are
-- called by the kiosk API (PostgREST rpc endpoints).

CREATE TABLE IF NOT EXISTS fridges (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL,
    address       text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    donations_7d  int NOT NULL DEFAULT 0,
    portions_7d   int NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS fridge_items (
    id             bigserial PRIMARY KEY,
    fridge_id      bigint NOT NULL REFERENCES fridges(id),
    donation_id    bigint NOT NULL,
    description    text NOT NULL,
    portions_left  int NOT NULL CHECK (portions_left >= 0),
    category       text NOT NULL DEFAULT 'other',
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS fridge_items_fridge_idx ON fridge_items (fridge_id) WHERE portions_left > 0;

-- Kiosk: "take N portions" button.
CREATE OR REPLACE FUNCTION take_portions(p_item_id bigint, p_collector_id bigint, p_count int)
RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
    v_left int;
BEGIN
    IF p_count < 1 OR p_count > 5 THEN
        RAISE EXCEPTION 'between 1 and 5 portions per visit';
    END IF;

    SELECT portions_left INTO v_left
      FROM fridge_items
     WHERE id = p_item_id;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'item % not found', p_item_id;
    END IF;
    IF v_left < p_count THEN
        RAISE EXCEPTION 'only % portions left', v_left;
    END IF;

    UPDATE fridge_items
       SET portions_left = v_left - p_count,
           updated_at    = now()
     WHERE id = p_item_id;

    INSERT INTO collections (item_id, collector_id, portions, collected_at)
    VALUES (p_item_id, p_collector_id, p_count, now());

    RETURN v_left - p_count;
END;
$$;

-- Nightly: refresh the 7-day counters shown on the volunteer map.
CREATE OR REPLACE FUNCTION refresh_fridge_counters()
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    f            record;
    v_donations  int;
    v_portions   int;
BEGIN
    FOR f IN SELECT id FROM fridges WHERE active LOOP
        SELECT count(*), coalesce(sum(d.portions), 0)
          INTO v_donations, v_portions
          FROM donations d
         WHERE d.fridge_id = f.id
           AND d.donated_at > now() - interval '7 days';

        UPDATE fridges
           SET donations_7d = v_donations,
               portions_7d  = v_portions
         WHERE id = f.id;
    END LOOP;
END;
$$;

-- Kiosk screen: what is in this fridge right now.
CREATE OR REPLACE FUNCTION fridge_contents(p_fridge_id bigint)
RETURNS TABLE (item_id bigint, description text, category text, portions_left int)
LANGUAGE sql STABLE
AS $$
    SELECT id, description, category, portions_left
      FROM fridge_items
     WHERE fridge_id = p_fridge_id
       AND portions_left > 0
     ORDER BY category, id
     LIMIT 60;
$$;
