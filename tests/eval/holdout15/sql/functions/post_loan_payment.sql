-- You're right: the previous version read `balance_cents` into a variable and
-- wrote `v_balance - p_amount` back, so two clerks posting payments on the
-- same pawn loan at the same moment could lose one of them. Here's the
-- corrected function:
--
--   * the loan row is locked with SELECT ... FOR UPDATE, so concurrent payments
--     on the same ticket are serialized (the second waits for the first);
--   * receipt numbers are unique per shop, so a double-clicked "Post payment"
--     is rejected by the constraint instead of posting twice;
--   * every query is scoped to the shop.

ALTER TABLE loan_payments
    ADD CONSTRAINT loan_payments_receipt_uniq UNIQUE (shop_id, receipt_no);

CREATE OR REPLACE FUNCTION post_loan_payment(
    p_shop_id     int,
    p_ticket_no   text,
    p_receipt_no  text,
    p_amount      bigint,
    p_clerk_id    int
) RETURNS bigint            -- remaining balance in cents
LANGUAGE plpgsql AS $$
DECLARE
    v_loan_id   bigint;
    v_balance   bigint;
    v_status    text;
BEGIN
    IF p_amount <= 0 THEN
        RAISE EXCEPTION 'payment must be positive';
    END IF;

    SELECT id, balance_cents, status
      INTO v_loan_id, v_balance, v_status
      FROM pawn_loans
     WHERE shop_id = p_shop_id AND ticket_no = p_ticket_no
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'ticket % not found', p_ticket_no USING ERRCODE = 'P0002';
    END IF;
    IF v_status NOT IN ('active', 'extended') THEN
        RAISE EXCEPTION 'ticket % is %', p_ticket_no, v_status;
    END IF;
    IF p_amount > v_balance THEN
        RAISE EXCEPTION 'payment % exceeds balance %', p_amount, v_balance;
    END IF;

    INSERT INTO loan_payments (shop_id, loan_id, receipt_no, amount_cents, clerk_id, paid_at)
    VALUES (p_shop_id, v_loan_id, p_receipt_no, p_amount, p_clerk_id, now());

    UPDATE pawn_loans
       SET balance_cents = v_balance - p_amount,
           status = CASE WHEN v_balance - p_amount = 0 THEN 'redeemed' ELSE status END,
           updated_at = now()
     WHERE id = v_loan_id AND shop_id = p_shop_id;

    RETURN v_balance - p_amount;
END;
$$;
