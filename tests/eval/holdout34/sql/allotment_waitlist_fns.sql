-- V14__waiting_list_functions.sql
-- Allotment waiting lists, shared by the parish councils using the service.
-- Every table carries council_id.

CREATE TABLE IF NOT EXISTS waiting_list (
    id           bigserial PRIMARY KEY,
    council_id   int         NOT NULL REFERENCES councils(id),
    site_id      int         NOT NULL REFERENCES allotment_sites(id),
    resident_id  bigint      NOT NULL REFERENCES residents(id),
    status       text        NOT NULL DEFAULT 'waiting'
                 CHECK (status IN ('waiting', 'offered', 'accepted', 'withdrawn')),
    offered_plot_id int      REFERENCES plots(id),
    joined_at    timestamptz NOT NULL DEFAULT now(),
    offered_at   timestamptz
);

CREATE INDEX IF NOT EXISTS waiting_list_site_queue_idx
    ON waiting_list (council_id, site_id, status, joined_at);

-- Called from the "Join the waiting list" form.
CREATE OR REPLACE FUNCTION join_waiting_list(p_council_id int, p_site_id int, p_resident_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_existing int;
    v_id       bigint;
BEGIN
    SELECT count(*) INTO v_existing
      FROM waiting_list
     WHERE council_id = p_council_id
       AND site_id = p_site_id
       AND resident_id = p_resident_id
       AND status IN ('waiting', 'offered');

    IF v_existing > 0 THEN
        RAISE EXCEPTION 'resident % is already on the list for site %', p_resident_id, p_site_id
            USING ERRCODE = 'unique_violation';
    END IF;

    INSERT INTO waiting_list (council_id, site_id, resident_id)
    VALUES (p_council_id, p_site_id, p_resident_id)
    RETURNING id INTO v_id;

    RETURN v_id;
END;
$$;

-- Run by the council officer after the annual plot inspection: each vacant
-- plot is offered to whoever has waited longest for that site.
CREATE OR REPLACE FUNCTION offer_vacant_plots(p_council_id int)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    r        record;
    v_entry  bigint;
    v_offers int := 0;
BEGIN
    FOR r IN
        SELECT p.id AS plot_id, p.site_id
          FROM plots p
         WHERE p.council_id = p_council_id AND p.status = 'vacant'
         ORDER BY p.site_id, p.plot_number
         FOR UPDATE SKIP LOCKED
    LOOP
        SELECT w.id INTO v_entry
          FROM waiting_list w
         WHERE w.council_id = p_council_id
           AND w.site_id = r.site_id
           AND w.status = 'waiting'
         ORDER BY w.joined_at
         LIMIT 1
         FOR UPDATE SKIP LOCKED;

        CONTINUE WHEN v_entry IS NULL;

        UPDATE waiting_list
           SET status = 'offered', offered_plot_id = r.plot_id, offered_at = now()
         WHERE id = v_entry;

        UPDATE plots SET status = 'offered' WHERE id = r.plot_id AND council_id = p_council_id;
        v_offers := v_offers + 1;
    END LOOP;

    RETURN v_offers;
END;
$$;

-- Position shown to residents on their account page.
CREATE OR REPLACE FUNCTION waiting_position(p_council_id int, p_entry_id bigint)
RETURNS int
LANGUAGE sql STABLE AS $$
    SELECT count(*)::int + 1
      FROM waiting_list w
      JOIN waiting_list me ON me.id = p_entry_id AND me.council_id = p_council_id
     WHERE w.council_id = p_council_id
       AND w.site_id = me.site_id
       AND w.status = 'waiting'
       AND w.joined_at < me.joined_at;
$$;
