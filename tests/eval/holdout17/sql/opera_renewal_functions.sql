-- Opera house season subscriptions: renewal and payment-provider callbacks.
-- Called from the box-office backend (3 app servers) and from the PSP webhook.

CREATE TABLE IF NOT EXISTS psp_events (
    event_id     text PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now()
);

-- renew_subscription: keep the subscriber's seat for the next season if it is
-- still theirs (or free). The seat row is locked for the rest of the
-- transaction, so two renewals of the same seat are serialised.
CREATE OR REPLACE FUNCTION renew_subscription(p_subscriber bigint, p_seat bigint, p_season bigint)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_holder bigint;
BEGIN
    SELECT holder_id INTO v_holder
      FROM season_seats
     WHERE seat_id = p_seat AND season_id = p_season
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'seat % not offered in season %', p_seat, p_season
            USING ERRCODE = 'no_data_found';
    END IF;

    IF v_holder IS NOT NULL AND v_holder <> p_subscriber THEN
        RETURN 'taken';
    END IF;

    UPDATE season_seats
       SET holder_id = p_subscriber, renewed_at = now()
     WHERE seat_id = p_seat AND season_id = p_season;

    INSERT INTO subscriptions (subscriber_id, seat_id, season_id, status)
    VALUES (p_subscriber, p_seat, p_season, 'awaiting_payment')
    ON CONFLICT (subscriber_id, seat_id, season_id) DO NOTHING;

    RETURN 'renewed';
END;
$$;

-- apply_payment_event: idempotent on the PSP event id. A replayed webhook hits
-- the primary key and is ignored.
CREATE OR REPLACE FUNCTION apply_payment_event(p_event_id text, p_subscription bigint, p_amount_cents int)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_rows int;
BEGIN
    INSERT INTO psp_events (event_id) VALUES (p_event_id)
    ON CONFLICT (event_id) DO NOTHING;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows = 0 THEN
        RETURN false;  -- already processed
    END IF;

    UPDATE subscriptions
       SET status = 'paid',
           paid_cents = paid_cents + p_amount_cents
     WHERE id = p_subscription;

    RETURN true;
EXCEPTION
    WHEN foreign_key_violation OR check_violation THEN
        RAISE WARNING 'payment event % rejected: %', p_event_id, SQLERRM;
        RAISE;
END;
$$;
