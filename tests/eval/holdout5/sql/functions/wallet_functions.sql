-- wallet_functions.sql
-- Stored procedures used by the payments service (called via SELECT debit_wallet(...)).

CREATE OR REPLACE FUNCTION debit_wallet(
    p_wallet_id   bigint,
    p_amount      numeric(14,2),
    p_reference   text
) RETURNS numeric
LANGUAGE plpgsql
AS $$
DECLARE
    v_balance numeric(14,2);
    v_new     numeric(14,2);
BEGIN
    IF p_amount <= 0 THEN
        RAISE EXCEPTION 'amount must be positive';
    END IF;

    SELECT balance INTO v_balance FROM wallets WHERE id = p_wallet_id;

    IF v_balance IS NULL THEN
        RAISE EXCEPTION 'wallet % not found', p_wallet_id;
    END IF;

    IF v_balance < p_amount THEN
        RAISE EXCEPTION 'insufficient_funds' USING ERRCODE = 'P0002';
    END IF;

    v_new := v_balance - p_amount;

    UPDATE wallets
       SET balance = v_new,
           updated_at = now()
     WHERE id = p_wallet_id;

    INSERT INTO wallet_ledger (wallet_id, amount, balance_after, reference, created_at)
    VALUES (p_wallet_id, -p_amount, v_new, p_reference, now());

    RETURN v_new;
END;
$$;


-- Nightly: credit 1% cashback on yesterday's card spend.
-- Scheduled with pg_cron: SELECT cron.schedule('cashback', '15 2 * * *', 'SELECT settle_daily_cashback()');
CREATE OR REPLACE FUNCTION settle_daily_cashback()
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    r          record;
    v_spend    numeric(14,2);
    v_credited integer := 0;
BEGIN
    FOR r IN
        SELECT w.id AS wallet_id, w.user_id
          FROM wallets w
         WHERE w.cashback_enabled
    LOOP
        SELECT coalesce(sum(t.amount), 0) INTO v_spend FROM card_transactions t WHERE t.user_id = r.user_id AND t.posted_at >= current_date - 1 AND t.posted_at < current_date;

        IF v_spend > 0 THEN
            UPDATE wallets
               SET balance = balance + round(v_spend * 0.01, 2),
                   updated_at = now()
             WHERE id = r.wallet_id;

            INSERT INTO wallet_ledger (wallet_id, amount, reference, created_at)
            VALUES (r.wallet_id, round(v_spend * 0.01, 2), 'cashback:' || (current_date - 1), now());

            v_credited := v_credited + 1;
        END IF;
    END LOOP;

    RETURN v_credited;
END;
$$;
