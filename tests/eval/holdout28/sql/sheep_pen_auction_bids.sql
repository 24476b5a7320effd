-- Dry-stone sheep pen auction: the walling association sells restored pens
-- (and the right to graze them) in timed online lots each autumn.
-- PostgreSQL 15.

CREATE TABLE IF NOT EXISTS auction_lots (
    id                 bigserial PRIMARY KEY,
    pen_ref            text        NOT NULL UNIQUE,      -- e.g. 'SWA-1987-14'
    parish             text        NOT NULL,
    description        text        NOT NULL,
    reserve_pence      integer     NOT NULL CHECK (reserve_pence >= 0),
    current_bid_pence  integer     NOT NULL DEFAULT 0,
    leading_bidder_id  bigint      REFERENCES bidders(id),
    opens_at           timestamptz NOT NULL,
    closes_at          timestamptz NOT NULL,
    status             text        NOT NULL DEFAULT 'open'
                       CHECK (status IN ('open', 'sold', 'unsold'))
);

CREATE TABLE IF NOT EXISTS lot_bids (
    id            bigserial PRIMARY KEY,
    lot_id        bigint      NOT NULL REFERENCES auction_lots(id),
    bidder_id     bigint      NOT NULL REFERENCES bidders(id),
    amount_pence  integer     NOT NULL,
    placed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS lot_bids_lot_placed_idx ON lot_bids (lot_id, placed_at DESC);

-- Called by the bidding endpoint: SELECT place_bid($1, $2, $3)
CREATE OR REPLACE FUNCTION place_bid(p_lot_id bigint, p_bidder_id bigint, p_amount integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_current  integer;
    v_closes   timestamptz;
    v_status   text;
    v_min_step integer;
BEGIN
    SELECT current_bid_pence, closes_at, status INTO v_current, v_closes, v_status FROM auction_lots WHERE id = p_lot_id;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'lot % does not exist', p_lot_id;
    END IF;
    IF v_status <> 'open' OR now() >= v_closes THEN
        RAISE EXCEPTION 'lot % is closed', p_lot_id;
    END IF;

    -- Increments follow the association's printed catalogue rules.
    v_min_step := CASE WHEN v_current < 50000 THEN 1000 ELSE 2500 END;
    IF p_amount < v_current + v_min_step THEN
        RAISE EXCEPTION 'bid must be at least % pence', v_current + v_min_step;
    END IF;

    INSERT INTO lot_bids (lot_id, bidder_id, amount_pence)
    VALUES (p_lot_id, p_bidder_id, p_amount);

    UPDATE auction_lots
       SET current_bid_pence = p_amount,
           leading_bidder_id = p_bidder_id
     WHERE id = p_lot_id;

    RETURN p_amount;
END;
$$;

-- Run by the scheduler every minute. The status guard makes each lot close once.
CREATE OR REPLACE FUNCTION close_due_lots()
RETURNS integer
LANGUAGE sql AS $$
    WITH closed AS (
        UPDATE auction_lots
           SET status = CASE WHEN current_bid_pence >= reserve_pence THEN 'sold' ELSE 'unsold' END
         WHERE status = 'open' AND closes_at <= now()
        RETURNING id
    )
    SELECT count(*)::integer FROM closed;
$$;

-- Bid history panel on the lot page (latest 20).
-- name: RecentBidsForLot
SELECT b.amount_pence, b.placed_at, bd.display_name
FROM lot_bids b
JOIN bidders bd ON bd.id = b.bidder_id
WHERE b.lot_id = $1
ORDER BY b.placed_at DESC
LIMIT 20;
