-- Good catch — in your original function two pharmacists pressing "Fill" at the
-- same time could both read refills_remaining = 1 and both dispense. The fix is to
-- lock the prescription row with SELECT ... FOR UPDATE so the second call waits
-- for the first transaction and then sees the decremented value.
--
-- Updated function:

CREATE OR REPLACE FUNCTION claim_refill(p_rx_id bigint, p_store_id int, p_pharmacist_id int)
RETURNS TABLE (hold_id bigint, refills_left int)
LANGUAGE plpgsql AS $$
DECLARE
    v_remaining int;
    v_ndc       text;
    v_qty       int;
    v_hold      bigint;
BEGIN
    SELECT refills_remaining, ndc, quantity
      INTO v_remaining, v_ndc, v_qty
      FROM prescriptions
     WHERE id = p_rx_id AND status = 'active'
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'prescription % not active', p_rx_id USING ERRCODE = 'P0002';
    END IF;
    IF v_remaining < 1 THEN
        RAISE EXCEPTION 'no refills remaining' USING ERRCODE = 'P0001';
    END IF;

    UPDATE prescriptions
       SET refills_remaining = v_remaining - 1,
           last_filled_at    = now()
     WHERE id = p_rx_id;

    -- stock is reserved for the patient until pickup; the bag goes back to the
    -- shelf if nobody collects it within 10 days
    INSERT INTO refill_holds (rx_id, store_id, ndc, qty, filled_by, hold_until)
    VALUES (p_rx_id, p_store_id, v_ndc, v_qty, p_pharmacist_id, now() + interval '10 days')
    RETURNING id INTO v_hold;

    RETURN QUERY SELECT v_hold, v_remaining - 1;
END;
$$;

-- Available stock now excludes bags waiting for pickup:
CREATE OR REPLACE VIEW store_available_stock AS
SELECT i.store_id, i.ndc,
       i.on_hand - COALESCE(SUM(h.qty) FILTER (WHERE h.hold_until > now() AND h.picked_up_at IS NULL), 0) AS available
  FROM store_inventory i
  LEFT JOIN refill_holds h ON h.store_id = i.store_id AND h.ndc = i.ndc
 GROUP BY i.store_id, i.on_hand, i.ndc;

-- The rest of your schema can stay as it is. With READ COMMITTED (the default) the
-- row lock is enough; you don't need SERIALIZABLE for this.
