-- 0031_seed_request_fulfilment.sql
-- Fulfilment for the seed library. Volunteers press "Pack" in the admin app,
-- which calls pack_seed_request() for one request; the Monday batch calls
-- pack_pending_requests() to clear the queue before the post van arrives.

CREATE OR REPLACE FUNCTION pack_seed_request(p_request_id bigint, p_volunteer_id bigint)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_lot_id     bigint;
    v_packets    integer;
    v_available  integer;
    v_status     text;
BEGIN
    SELECT lot_id, packets, status
      INTO v_lot_id, v_packets, v_status
      FROM seed_requests
     WHERE id = p_request_id
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'seed request % not found', p_request_id;
    END IF;
    IF v_status <> 'approved' THEN
        RETURN v_status;
    END IF;

    SELECT packets_available INTO v_available FROM seed_lots WHERE id = v_lot_id;

    IF v_available < v_packets THEN
        UPDATE seed_requests SET status = 'backordered', updated_at = now()
         WHERE id = p_request_id;
        RETURN 'backordered';
    END IF;

    UPDATE seed_lots
       SET packets_available = v_available - v_packets,
           updated_at = now()
     WHERE id = v_lot_id;

    UPDATE seed_requests
       SET status = 'packed', packed_by = p_volunteer_id, packed_at = now()
     WHERE id = p_request_id
       AND status = 'approved';

    RETURN 'packed';
END;
$$;


CREATE OR REPLACE FUNCTION pack_pending_requests(p_volunteer_id bigint)
RETURNS TABLE (request_id bigint, outcome text)
LANGUAGE plpgsql
AS $$
DECLARE
    r          record;
    v_postcode text;
BEGIN
    FOR r IN
        SELECT sr.id, sr.member_id
          FROM seed_requests sr
         WHERE sr.status = 'approved'
         ORDER BY sr.created_at
         LIMIT 500          -- one van load
    LOOP
        -- Parcels go out in postcode order so the label printer output
        -- matches the sorting crates.
        SELECT m.postcode INTO v_postcode FROM members m WHERE m.id = r.member_id;

        UPDATE seed_requests SET ship_postcode = v_postcode WHERE id = r.id;

        request_id := r.id;
        outcome    := pack_seed_request(r.id, p_volunteer_id);
        RETURN NEXT;
    END LOOP;
END;
$$;
