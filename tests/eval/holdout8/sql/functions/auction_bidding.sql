-- Auction bidding functions (PostgREST exposes these as /rpc/place_bid and
-- /rpc/settle_auction).

CREATE OR REPLACE FUNCTION place_bid(p_auction_id bigint, p_bidder_id bigint, p_amount numeric)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER AS $$
DECLARE
    v_auction auctions%ROWTYPE;
BEGIN
    SELECT * INTO v_auction
      FROM auctions
     WHERE id = p_auction_id
       FOR UPDATE;

    IF v_auction.status <> 'open' OR v_auction.ends_at <= now() THEN
        RETURN false;
    END IF;
    IF v_auction.seller_id = p_bidder_id THEN
        RETURN false;
    END IF;
    IF p_amount < v_auction.current_price + v_auction.min_increment THEN
        RETURN false;
    END IF;

    INSERT INTO bids (auction_id, bidder_id, amount) VALUES (p_auction_id, p_bidder_id, p_amount);

    UPDATE auctions
       SET current_price     = p_amount,
           leading_bidder_id = p_bidder_id,
           -- anti-sniping: extend by 2 minutes if a bid lands in the last 2 minutes
           ends_at           = greatest(ends_at, now() + interval '2 minutes')
     WHERE id = p_auction_id;

    RETURN true;
EXCEPTION
    WHEN OTHERS THEN
        RETURN false;
END;
$$;

-- Settle a finished auction: create the order for the winner.
CREATE OR REPLACE FUNCTION settle_auction(p_auction_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_winner   bigint;
    v_price    numeric;
    v_order_id bigint;
BEGIN
    UPDATE auctions
       SET status = 'settled', settled_at = now()
     WHERE id = p_auction_id
       AND status = 'open'
       AND ends_at <= now()
    RETURNING leading_bidder_id, current_price INTO v_winner, v_price;

    IF NOT FOUND THEN
        RETURN NULL;  -- still running or already settled by another worker
    END IF;
    IF v_winner IS NULL THEN
        RETURN NULL;  -- no bids
    END IF;

    INSERT INTO orders (auction_id, buyer_id, amount, status)
    VALUES (p_auction_id, v_winner, v_price, 'awaiting_payment')
    RETURNING id INTO v_order_id;

    RETURN v_order_id;
END;
$$;
