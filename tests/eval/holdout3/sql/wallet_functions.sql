-- db/functions/wallet_functions.sql
-- Wallet helpers used by the payments service.
--   SELECT wallet_credit(:wallet_id, :amount, :reason);
--   SELECT settle_merchant_payouts(current_date - 1);   -- nightly, from the scheduler

CREATE OR REPLACE FUNCTION wallet_credit(p_wallet_id bigint, p_amount numeric, p_reason text)
RETURNS numeric
LANGUAGE plpgsql
AS $$
DECLARE
    v_balance numeric(14, 2);
BEGIN
    IF p_amount = 0 THEN
        RAISE EXCEPTION 'amount must be non-zero';
    END IF;

    SELECT balance INTO v_balance FROM wallets WHERE id = p_wallet_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'wallet % not found', p_wallet_id;
    END IF;

    v_balance := v_balance + p_amount;
    IF v_balance < 0 THEN
        RAISE EXCEPTION 'insufficient balance on wallet %', p_wallet_id;
    END IF;

    UPDATE wallets
       SET balance = v_balance,
           updated_at = now()
     WHERE id = p_wallet_id;

    INSERT INTO wallet_ledger (wallet_id, amount, reason, balance_after, created_at)
    VALUES (p_wallet_id, p_amount, p_reason, v_balance, now());

    RETURN v_balance;
END;
$$;


-- Builds one payout row per active merchant for the given day.
CREATE OR REPLACE FUNCTION settle_merchant_payouts(p_day date)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    m        record;
    v_total  numeric(14, 2);
    v_fees   numeric(14, 2);
    v_count  integer := 0;
BEGIN
    FOR m IN
        SELECT id, payout_wallet_id, fee_rate
        FROM merchants
        WHERE status = 'active'
    LOOP
        SELECT COALESCE(SUM(amount), 0) INTO v_total
          FROM payments
         WHERE merchant_id = m.id
           AND status = 'captured'
           AND captured_at >= p_day
           AND captured_at < p_day + 1;

        CONTINUE WHEN v_total = 0;

        v_fees := round(v_total * m.fee_rate, 2);

        INSERT INTO payouts (merchant_id, wallet_id, payout_day, gross, fees, net)
        VALUES (m.id, m.payout_wallet_id, p_day, v_total, v_fees, v_total - v_fees)
        ON CONFLICT (merchant_id, payout_day) DO NOTHING;

        v_count := v_count + 1;
    END LOOP;

    RETURN v_count;
END;
$$;
