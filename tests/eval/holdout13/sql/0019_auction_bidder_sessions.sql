-- 0019_auction_bidder_sessions.sql
-- Paddle sessions for the live saleroom + a server-side bid function.
-- Requires pg_cron (enabled on the RDS parameter group in 0015).

BEGIN;

CREATE TABLE bidder_sessions (
    token        uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    bidder_id    bigint      NOT NULL REFERENCES bidders(id),
    sale_id      bigint      NOT NULL REFERENCES sales(id),
    paddle_no    integer     NOT NULL,
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '12 hours',
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (sale_id, paddle_no)
);

CREATE INDEX bidder_sessions_expires_idx ON bidder_sessions (expires_at);

-- purge expired paddle sessions every 10 minutes
SELECT cron.schedule(
    'purge-bidder-sessions',
    '*/10 * * * *',
    $$DELETE FROM bidder_sessions WHERE expires_at < now() - interval '1 hour'$$
);

-- place_bid: validates against the current high bid under a row lock.
-- Returns the new high bid, raises if the bid is too low or the lot closed.
CREATE OR REPLACE FUNCTION place_bid(p_lot bigint, p_bidder bigint, p_amount bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_high   bigint;
    v_step   bigint;
    v_closes timestamptz;
BEGIN
    SELECT high_bid_cents, increment_cents, closes_at
      INTO v_high, v_step, v_closes
      FROM lots
     WHERE id = p_lot
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'lot % not found', p_lot USING ERRCODE = 'no_data_found';
    END IF;
    IF now() >= v_closes THEN
        RAISE EXCEPTION 'lot % is closed', p_lot USING ERRCODE = 'P0002';
    END IF;
    IF p_amount < v_high + v_step THEN
        RAISE EXCEPTION 'minimum bid is %', v_high + v_step USING ERRCODE = 'P0003';
    END IF;

    INSERT INTO bids (lot_id, bidder_id, amount_cents) VALUES (p_lot, p_bidder, p_amount);

    UPDATE lots
       SET high_bid_cents = p_amount,
           high_bidder_id = p_bidder,
           -- soft close: extend by 2 minutes if a bid lands in the last 2 minutes
           closes_at = greatest(closes_at, now() + interval '2 minutes')
     WHERE id = p_lot;

    RETURN p_amount;
END;
$$;

COMMIT;
