-- Invoicing SaaS: payment and discount functions used by the billing API.
-- All tables are partitioned logically by account_id (one account = one customer company).

CREATE OR REPLACE FUNCTION record_invoice_payment(
    p_account_id bigint,
    p_invoice_id bigint,
    p_amount_cents bigint,
    p_method text
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_paid   bigint;
    v_total  bigint;
    v_status text;
BEGIN
    SELECT amount_paid_cents, total_cents
      INTO v_paid, v_total
      FROM invoices
     WHERE account_id = p_account_id AND id = p_invoice_id;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'invoice % not found', p_invoice_id;
    END IF;

    v_paid := v_paid + p_amount_cents;
    v_status := CASE WHEN v_paid >= v_total THEN 'paid' ELSE 'partially_paid' END;

    UPDATE invoices
       SET amount_paid_cents = v_paid,
           status            = v_status,
           updated_at        = now()
     WHERE account_id = p_account_id AND id = p_invoice_id;

    INSERT INTO invoice_payments (account_id, invoice_id, amount_cents, method)
    VALUES (p_account_id, p_invoice_id, p_amount_cents, p_method);

    RETURN v_status;
END;
$$;

-- Apply a discount code to a draft invoice. Codes have a max number of uses.
CREATE OR REPLACE FUNCTION redeem_discount_code(
    p_account_id bigint,
    p_invoice_id bigint,
    p_code text
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_code_id  bigint;
    v_max_uses int;
    v_percent  numeric;
    v_used     int;
    v_discount bigint;
BEGIN
    SELECT id, max_uses, percent_off
      INTO v_code_id, v_max_uses, v_percent
      FROM discount_codes
     WHERE account_id = p_account_id AND code = upper(p_code) AND active;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown discount code %', p_code USING ERRCODE = 'P0002';
    END IF;

    SELECT count(*) INTO v_used
      FROM discount_redemptions
     WHERE code_id = v_code_id;

    IF v_max_uses IS NOT NULL AND v_used >= v_max_uses THEN
        RAISE EXCEPTION 'discount code % is used up', p_code USING ERRCODE = 'P0001';
    END IF;

    UPDATE invoices
       SET discount_cents = round(subtotal_cents * v_percent / 100),
           total_cents    = subtotal_cents - round(subtotal_cents * v_percent / 100) + tax_cents
     WHERE account_id = p_account_id AND id = p_invoice_id AND status = 'draft'
    RETURNING discount_cents INTO v_discount;

    IF v_discount IS NULL THEN
        RAISE EXCEPTION 'invoice % is not a draft', p_invoice_id;
    END IF;

    INSERT INTO discount_redemptions (account_id, code_id, invoice_id)
    VALUES (p_account_id, v_code_id, p_invoice_id);

    RETURN v_discount;
END;
$$;
