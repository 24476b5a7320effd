-- 0042_resale_checkout_holds.sql
-- Checkout holds for the resale marketplace: when a fan opens checkout on a
-- listing we hold it for 10 minutes so nobody else can buy it meanwhile.

BEGIN;

CREATE TABLE checkout_holds (
    id           bigserial PRIMARY KEY,
    listing_id   bigint      NOT NULL REFERENCES resale_listings(id),
    buyer_id     bigint      NOT NULL REFERENCES users(id),
    held_until   timestamptz NOT NULL DEFAULT now() + interval '10 minutes',
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX checkout_holds_listing_idx ON checkout_holds (listing_id, held_until);
CREATE INDEX checkout_holds_buyer_idx   ON checkout_holds (buyer_id);

-- Listings that can currently be bought (no live hold, not sold).
CREATE OR REPLACE VIEW buyable_listings AS
SELECT l.*
  FROM resale_listings l
 WHERE l.status = 'active'
   AND NOT EXISTS (SELECT 1 FROM checkout_holds h
                    WHERE h.listing_id = l.id AND h.held_until > now());

-- place_hold(listing, buyer) -> hold id, raises if someone else holds it.
CREATE OR REPLACE FUNCTION place_hold(p_listing_id bigint, p_buyer_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_holder  bigint;
    v_hold_id bigint;
BEGIN
    SELECT buyer_id INTO v_holder
      FROM checkout_holds
     WHERE listing_id = p_listing_id AND held_until > now()
     ORDER BY created_at DESC
     LIMIT 1;

    IF v_holder IS NOT NULL AND v_holder <> p_buyer_id THEN
        RAISE EXCEPTION 'listing % is held by another buyer', p_listing_id
            USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO checkout_holds (listing_id, buyer_id)
    VALUES (p_listing_id, p_buyer_id)
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Releasing a hold early (buyer closes checkout) just shortens it.
CREATE OR REPLACE FUNCTION release_hold(p_hold_id bigint, p_buyer_id bigint)
RETURNS void
LANGUAGE sql AS $$
    UPDATE checkout_holds SET held_until = now()
     WHERE id = p_hold_id AND buyer_id = p_buyer_id;
$$;

COMMIT;
