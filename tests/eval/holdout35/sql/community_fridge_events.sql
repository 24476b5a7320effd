-- 0031_fridge_webhooks_and_pickups.sql
-- Community fridge network: partner drop-off webhooks are deduplicated on
-- the partner's event id, and the "reserve for pickup" feature keeps a
-- short-lived reservation that a scheduled job clears out.

CREATE TABLE partner_webhook_events (
    partner      text        NOT NULL,
    event_id     text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner, event_id)
);

CREATE TABLE pickup_reservations (
    id           bigserial   PRIMARY KEY,
    network_id   bigint      NOT NULL,
    fridge_id    bigint      NOT NULL,
    item_id      bigint      NOT NULL UNIQUE,
    member_id    bigint      NOT NULL,
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '2 hours'
);
CREATE INDEX pickup_reservations_expires_idx ON pickup_reservations (expires_at);

-- Returns false when this partner event was already applied, so the
-- webhook handler can answer 200 without adding the items a second time.
CREATE OR REPLACE FUNCTION apply_donation_event(
    p_partner   text,
    p_event_id  text,
    p_network   bigint,
    p_fridge_id bigint,
    p_items     jsonb
) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_donation_id bigint;
    v_total       integer;
BEGIN
    INSERT INTO partner_webhook_events (partner, event_id)
    VALUES (p_partner, p_event_id)
    ON CONFLICT (partner, event_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO donations (network_id, fridge_id, partner, external_ref)
    VALUES (p_network, p_fridge_id, p_partner, p_event_id)
    RETURNING id INTO v_donation_id;

    INSERT INTO donation_items (donation_id, name, qty, use_by)
    SELECT v_donation_id, i->>'name', (i->>'qty')::int, (i->>'use_by')::date
      FROM jsonb_array_elements(p_items) AS i;

    SELECT coalesce(sum((i->>'qty')::int), 0) INTO v_total
      FROM jsonb_array_elements(p_items) AS i;

    UPDATE fridges
       SET items_available = items_available + v_total,
           last_donation_at = now()
     WHERE id = p_fridge_id AND network_id = p_network;
    RETURN true;
END;
$$;

-- Expired pickups go back on the shelf; old webhook ids are only needed for
-- the partner's redelivery window (7 days), we keep 30 to be safe.
CREATE OR REPLACE FUNCTION purge_fridge_housekeeping()
RETURNS void
LANGUAGE sql AS $$
    DELETE FROM pickup_reservations WHERE expires_at < now();
    DELETE FROM partner_webhook_events WHERE received_at < now() - interval '30 days';
$$;

SELECT cron.schedule('fridge-housekeeping', '*/10 * * * *', $$SELECT purge_fridge_housekeeping()$$);
