-- Blood bank inventory functions (PostgreSQL 15).
-- Called from the hospital ordering portal (allocate_unit) and the lab intake app
-- (adjust_inventory after each intake/discard batch). Reports run from the regional dashboard.

CREATE OR REPLACE FUNCTION allocate_unit(p_order_id bigint, p_unit_id bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_status  text;
    v_expires date;
BEGIN
    SELECT status, expires_on INTO v_status, v_expires
    FROM blood_units
    WHERE id = p_unit_id;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'unit % not found', p_unit_id;
    END IF;
    IF v_status <> 'available' OR v_expires <= current_date THEN
        RAISE EXCEPTION 'unit % cannot be allocated (status %, expires %)', p_unit_id, v_status, v_expires;
    END IF;

    UPDATE blood_units
       SET status = 'allocated', order_id = p_order_id, allocated_at = now()
     WHERE id = p_unit_id;

    INSERT INTO order_allocations (order_id, unit_id, allocated_at)
    VALUES (p_order_id, p_unit_id, now());
END;
$$;


CREATE OR REPLACE FUNCTION adjust_inventory(p_site_id int, p_product text, p_abo_rh text, p_delta int)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_on_hand int;
BEGIN
    SELECT units_on_hand INTO v_on_hand
    FROM inventory_levels
    WHERE site_id = p_site_id AND product = p_product AND abo_rh = p_abo_rh;

    v_on_hand := coalesce(v_on_hand, 0) + p_delta;
    IF v_on_hand < 0 THEN
        RAISE EXCEPTION 'inventory for % % at site % would go negative', p_product, p_abo_rh, p_site_id;
    END IF;

    UPDATE inventory_levels
       SET units_on_hand = v_on_hand, updated_at = now()
     WHERE site_id = p_site_id AND product = p_product AND abo_rh = p_abo_rh;

    RETURN v_on_hand;
END;
$$;


-- Red cell shortage view for one region: stock vs par level and open hospital orders.
CREATE OR REPLACE FUNCTION rbc_shortage_report(p_region text)
RETURNS TABLE (site int, site_name text, blood_group text, on_hand int, par int, pending int)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT s.id, s.name, il.abo_rh, il.units_on_hand, il.par_level
        FROM sites s
        JOIN inventory_levels il ON il.site_id = s.id
        WHERE s.region = p_region AND il.product = 'RBC'
        ORDER BY s.name, il.abo_rh
    LOOP
        site        := r.id;
        site_name   := r.name;
        blood_group := r.abo_rh;
        on_hand     := r.units_on_hand;
        par         := r.par_level;

        SELECT count(*) INTO pending
        FROM hospital_orders o
        WHERE o.fulfilling_site_id = r.id
          AND o.abo_rh = r.abo_rh
          AND o.product = 'RBC'
          AND o.status = 'pending';

        RETURN NEXT;
    END LOOP;
END;
$$;
