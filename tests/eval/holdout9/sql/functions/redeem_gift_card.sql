-- Gift cards for the meal-kit shop. Called from the checkout service:
--   SELECT redeem_gift_card($1, $2, $3);
CREATE OR REPLACE FUNCTION redeem_gift_card(
    p_code      text,
    p_order_id  bigint,
    p_amount    integer          -- cents
) RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_card_id   bigint;
    v_balance   integer;
BEGIN
    SELECT id, balance_cents
      INTO v_card_id, v_balance
      FROM gift_cards
     WHERE code = upper(p_code)
       AND NOT disabled;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    IF v_balance < p_amount THEN
        RAISE EXCEPTION 'insufficient gift card balance';
    END IF;

    UPDATE gift_cards
       SET balance_cents = v_balance - p_amount,
           last_used_at  = now()
     WHERE id = v_card_id;

    INSERT INTO gift_card_ledger (card_id, order_id, delta_cents)
    VALUES (v_card_id, p_order_id, -p_amount);

    RETURN true;
EXCEPTION
    WHEN OTHERS THEN
        RETURN false;
END;
$$;

-- top-ups are done by support staff only
CREATE OR REPLACE FUNCTION top_up_gift_card(p_code text, p_amount integer)
RETURNS integer
LANGUAGE sql
AS $$
    UPDATE gift_cards
       SET balance_cents = balance_cents + p_amount
     WHERE code = upper(p_code)
    RETURNING balance_cents;
$$;
