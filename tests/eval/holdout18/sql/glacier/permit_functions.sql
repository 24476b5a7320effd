-- Glacier walk permits: each (route, tour_date) has a fixed daily quota set by
-- the park service. Both functions are called straight from the booking API.

-- Issue a permit for a party. The quota check and the decrement are one
-- statement, so concurrent callers can never oversell the day.
CREATE OR REPLACE FUNCTION issue_permit(
    p_route_id   integer,
    p_tour_date  date,
    p_guide_id   integer,
    p_party_size integer
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_left      integer;
    v_permit_no text;
BEGIN
    UPDATE permit_quotas
       SET remaining = remaining - p_party_size
     WHERE route_id  = p_route_id
       AND tour_date = p_tour_date
       AND remaining >= p_party_size
    RETURNING remaining INTO v_left;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'quota exhausted for route % on %', p_route_id, p_tour_date
              USING ERRCODE = 'P0001';
    END IF;

    v_permit_no := format('GW-%s-%s', to_char(p_tour_date, 'YYYYMMDD'),
                          lpad(nextval('permit_no_seq')::text, 6, '0'));

    INSERT INTO permits (permit_no, route_id, tour_date, guide_id, party_size)
    VALUES (v_permit_no, p_route_id, p_tour_date, p_guide_id, p_party_size);

    RETURN v_permit_no;
END;
$$;

-- Move a permit to another date (weather). Reads the permit, then writes two
-- quota rows; the permit row and both quota rows are locked first, in a fixed
-- order (by tour_date) so two transfers can't deadlock each other.
CREATE OR REPLACE FUNCTION transfer_permit(p_permit_no text, p_new_date date)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_permit permits%ROWTYPE;
    v_free   integer;
BEGIN
    SELECT * INTO v_permit FROM permits WHERE permit_no = p_permit_no FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown permit %', p_permit_no USING ERRCODE = 'P0002';
    END IF;

    PERFORM 1 FROM permit_quotas
      WHERE route_id = v_permit.route_id
        AND tour_date IN (v_permit.tour_date, p_new_date)
      ORDER BY tour_date
      FOR UPDATE;

    SELECT remaining INTO v_free
      FROM permit_quotas
     WHERE route_id = v_permit.route_id AND tour_date = p_new_date;

    IF v_free IS NULL OR v_free < v_permit.party_size THEN
        RAISE EXCEPTION 'no room on % for permit %', p_new_date, p_permit_no USING ERRCODE = 'P0001';
    END IF;

    UPDATE permit_quotas SET remaining = remaining + v_permit.party_size
     WHERE route_id = v_permit.route_id AND tour_date = v_permit.tour_date;
    UPDATE permit_quotas SET remaining = remaining - v_permit.party_size
     WHERE route_id = v_permit.route_id AND tour_date = p_new_date;
    UPDATE permits SET tour_date = p_new_date, updated_at = now()
     WHERE permit_no = p_permit_no;
EXCEPTION
    WHEN others THEN
        RAISE WARNING 'transfer_permit % -> % failed: %', p_permit_no, p_new_date, SQLERRM;
        RAISE;
END;
$$;
