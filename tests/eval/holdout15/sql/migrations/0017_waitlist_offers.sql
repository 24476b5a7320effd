-- 0017_waitlist_offers.sql
-- Kindergarten waitlist: when a seat opens, the district sends an offer to the
-- next child on the list. Families have 72 hours to accept.

CREATE TABLE waitlist_offers (
    id           bigserial   PRIMARY KEY,
    district_id  int         NOT NULL REFERENCES districts(id),
    school_id    int         NOT NULL,
    child_id     bigint      NOT NULL,
    status       text        NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'accepted', 'declined', 'expired')),
    offered_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '72 hours',
    FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id)
);

-- a child can hold at most one open offer per school
CREATE UNIQUE INDEX waitlist_offers_one_open
    ON waitlist_offers (district_id, school_id, child_id)
    WHERE status = 'open';

CREATE INDEX waitlist_offers_expiry_idx ON waitlist_offers (expires_at) WHERE status = 'open';

-- Accepting is a single conditional UPDATE: only an open, unexpired offer that
-- belongs to the caller's district can flip to accepted.
CREATE OR REPLACE FUNCTION accept_waitlist_offer(p_district_id int, p_offer_id bigint)
RETURNS waitlist_offers
LANGUAGE plpgsql AS $$
DECLARE
    v_offer waitlist_offers;
BEGIN
    UPDATE waitlist_offers
       SET status = 'accepted'
     WHERE id = p_offer_id
       AND district_id = p_district_id
       AND status = 'open'
       AND expires_at > now()
    RETURNING * INTO v_offer;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'offer % is not open or has expired', p_offer_id
            USING ERRCODE = 'P0002';
    END IF;
    RETURN v_offer;
END;
$$;

-- Every 10 minutes: lapse expired offers (the enrollment service then offers
-- the seat to the next child), and purge closed offers after the retention
-- period required by the district's records policy.
SELECT cron.schedule('waitlist-expire-offers', '*/10 * * * *', $cron$
    UPDATE waitlist_offers SET status = 'expired'
     WHERE status = 'open' AND expires_at <= now();
$cron$);

SELECT cron.schedule('waitlist-purge-offers', '30 3 * * *', $cron$
    DELETE FROM waitlist_offers
     WHERE status <> 'open' AND offered_at < now() - interval '2 years';
$cron$);
