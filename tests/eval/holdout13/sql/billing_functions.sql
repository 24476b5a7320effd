-- billing_functions.sql
-- Utility meter billing: payment posting and the monthly cycle close.
-- Both are called from the billing service (apply_payment on every card/ACH
-- callback, close_cycle from the month-end job).

CREATE OR REPLACE FUNCTION billing.apply_payment(
    p_account_id  bigint,
    p_amount      numeric(12,2),
    p_provider_ref text
) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    v_balance numeric(12,2);
BEGIN
    INSERT INTO billing.payments (account_id, amount, provider_ref, received_at)
    VALUES (p_account_id, p_amount, p_provider_ref, now());

    SELECT balance INTO v_balance
      FROM billing.accounts
     WHERE id = p_account_id;

    IF v_balance IS NULL THEN
        RAISE EXCEPTION 'unknown account %', p_account_id;
    END IF;

    v_balance := v_balance - p_amount;

    UPDATE billing.accounts
       SET balance = v_balance,
           last_payment_at = now()
     WHERE id = p_account_id;

    RETURN v_balance;
END;
$$;


CREATE OR REPLACE FUNCTION billing.close_cycle(p_cycle_id integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_from   date;
    v_to     date;
    v_kwh    numeric;
    v_rate   numeric;
    v_count  integer := 0;
    r        record;
BEGIN
    SELECT period_start, period_end INTO v_from, v_to
      FROM billing.cycles WHERE id = p_cycle_id;

    FOR r IN
        SELECT a.id, a.meter_id, a.tariff_id
          FROM billing.accounts a
         WHERE a.cycle_id = p_cycle_id AND a.status = 'active'
    LOOP
        SELECT coalesce(sum(kwh), 0) INTO v_kwh
          FROM billing.meter_readings
         WHERE meter_id = r.meter_id
           AND read_at >= v_from AND read_at < v_to;

        SELECT rate_per_kwh INTO v_rate
          FROM billing.tariffs WHERE id = r.tariff_id;

        INSERT INTO billing.invoices (account_id, cycle_id, kwh, amount, issued_at)
        VALUES (r.id, p_cycle_id, v_kwh, round(v_kwh * v_rate, 2), now());

        v_count := v_count + 1;
    END LOOP;

    UPDATE billing.cycles SET closed_at = now() WHERE id = p_cycle_id;
    RETURN v_count;
END;
$$;
