-- apply_payment_event(): called by the webhook consumer for every event the
-- payment provider delivers. Deliveries are at-least-once and may arrive out
-- of order, so the function is idempotent on the provider's event id.

CREATE TABLE IF NOT EXISTS provider_events (
    event_id    text        PRIMARY KEY,
    kind        text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION apply_payment_event(
    p_event_id   text,
    p_kind       text,   -- 'payment.captured' | 'payment.refunded'
    p_pledge_ref text
) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_pledge   pledges%ROWTYPE;
    v_raised   bigint;
    v_goal     bigint;
BEGIN
    INSERT INTO provider_events (event_id, kind)
    VALUES (p_event_id, p_kind)
    ON CONFLICT (event_id) DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;  -- duplicate delivery, already applied
    END IF;

    -- Lock the pledge so a capture and a refund for the same pledge
    -- cannot interleave.
    SELECT * INTO v_pledge
      FROM pledges
     WHERE provider_ref = p_pledge_ref
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown pledge %', p_pledge_ref USING ERRCODE = 'P0002';
    END IF;

    IF p_kind = 'payment.captured' AND v_pledge.status = 'pending' THEN
        UPDATE pledges SET status = 'captured', captured_at = now()
         WHERE id = v_pledge.id;

        UPDATE campaigns
           SET raised_cents = raised_cents + v_pledge.amount_cents,
               backer_count = backer_count + 1
         WHERE id = v_pledge.campaign_id
        RETURNING raised_cents, goal_cents INTO v_raised, v_goal;

        IF v_raised >= v_goal THEN
            UPDATE campaigns SET funded_at = coalesce(funded_at, now())
             WHERE id = v_pledge.campaign_id;
        END IF;

    ELSIF p_kind = 'payment.refunded' AND v_pledge.status = 'captured' THEN
        UPDATE pledges SET status = 'refunded', refunded_at = now()
         WHERE id = v_pledge.id;

        UPDATE campaigns
           SET raised_cents = raised_cents - v_pledge.amount_cents,
               backer_count = backer_count - 1
         WHERE id = v_pledge.campaign_id;
    END IF;

    RETURN true;
END;
$$;

-- Campaign page header. campaigns has no tenant column (one public catalog).
CREATE OR REPLACE FUNCTION campaign_progress(p_campaign_id bigint)
RETURNS TABLE (raised_cents bigint, goal_cents bigint, backer_count integer, funded boolean)
LANGUAGE sql STABLE AS $$
    SELECT c.raised_cents, c.goal_cents, c.backer_count, c.funded_at IS NOT NULL
      FROM campaigns c
     WHERE c.id = p_campaign_id;
$$;
