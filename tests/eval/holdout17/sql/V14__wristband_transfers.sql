-- V14: resale / transfer of festival wristbands between attendees.
-- A holder creates a transfer offer (15 minute window); the recipient accepts
-- it from the app, which moves the wristband to the new holder.

CREATE TABLE wristband_transfer_offers (
    id            bigserial PRIMARY KEY,
    festival_id   bigint      NOT NULL REFERENCES festivals(id),
    wristband_uid text        NOT NULL,
    from_holder   bigint      NOT NULL REFERENCES attendees(id),
    to_email      citext      NOT NULL,
    price_cents   integer     NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    status        text        NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'accepted', 'withdrawn')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '15 minutes'
);

CREATE INDEX wristband_transfer_offers_band_idx
    ON wristband_transfer_offers (festival_id, wristband_uid);

CREATE INDEX wristband_transfer_offers_to_idx
    ON wristband_transfer_offers (to_email) WHERE status = 'open';

ALTER TABLE wristbands
    ADD COLUMN transferred_at timestamptz,
    ADD COLUMN transfer_count integer NOT NULL DEFAULT 0;

-- accept_transfer(offer, recipient): called by POST /transfers/{id}/accept
CREATE OR REPLACE FUNCTION accept_transfer(p_offer_id bigint, p_recipient bigint)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_offer wristband_transfer_offers%ROWTYPE;
BEGIN
    SELECT * INTO v_offer
      FROM wristband_transfer_offers
     WHERE id = p_offer_id AND status = 'open' AND expires_at > now();

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE wristbands
       SET holder_id      = p_recipient,
           transferred_at = now(),
           transfer_count = transfer_count + 1
     WHERE festival_id = v_offer.festival_id
       AND uid = v_offer.wristband_uid;

    UPDATE wristband_transfer_offers
       SET status = 'accepted'
     WHERE id = p_offer_id;

    INSERT INTO wristband_ledger (festival_id, wristband_uid, kind, amount_cents, counterparty)
    VALUES (v_offer.festival_id, v_offer.wristband_uid, 'transfer_sale', v_offer.price_cents, p_recipient);

    RETURN true;
END;
$$;
