-- 0012_subscribers.sql
-- Subscribers, double opt-in and the functions the API layer calls through PostgREST.
-- Every publication belongs to an account (tenant); RLS is not enabled yet, so the
-- functions below take the account id from the JWT claim and filter explicitly.

BEGIN;

CREATE TABLE subscribers (
    id              bigserial PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts(id),
    publication_id  bigint      NOT NULL REFERENCES publications(id),
    email           citext      NOT NULL,
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced')),
    source          text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    confirmed_at    timestamptz,
    UNIQUE (publication_id, email)
);

CREATE INDEX subscribers_account_pub_idx ON subscribers (account_id, publication_id, status);

-- double opt-in: one row per confirmation email sent
CREATE TABLE subscriber_confirmations (
    token           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    subscriber_id   bigint      NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
    expires_at      timestamptz NOT NULL DEFAULT now() + interval '48 hours',
    used_at         timestamptz
);

CREATE OR REPLACE FUNCTION api.subscribe(p_publication_id bigint, p_email citext, p_source text)
RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_account bigint := (current_setting('request.jwt.claims', true)::json ->> 'account_id')::bigint;
    v_sub     bigint;
    v_token   uuid;
BEGIN
    INSERT INTO subscribers (account_id, publication_id, email, source)
    SELECT v_account, p.id, p_email, p_source
      FROM publications p
     WHERE p.id = p_publication_id AND p.account_id = v_account
    ON CONFLICT (publication_id, email) DO UPDATE SET source = EXCLUDED.source
    RETURNING id INTO v_sub;

    IF v_sub IS NULL THEN
        RAISE EXCEPTION 'publication % not found', p_publication_id USING ERRCODE = 'P0002';
    END IF;

    INSERT INTO subscriber_confirmations (subscriber_id) VALUES (v_sub) RETURNING token INTO v_token;
    RETURN v_token;
END $$;

CREATE OR REPLACE FUNCTION api.confirm(p_token uuid)
RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$
    WITH t AS (
        UPDATE subscriber_confirmations SET used_at = now()
         WHERE token = p_token AND used_at IS NULL AND expires_at > now()
     RETURNING subscriber_id
    )
    UPDATE subscribers s SET status = 'active', confirmed_at = now()
      FROM t WHERE s.id = t.subscriber_id
    RETURNING true;
$$;

-- dashboard: subscribers table on the publication page (GET /rpc/list_subscribers)
CREATE OR REPLACE FUNCTION api.list_subscribers(p_publication_id bigint)
RETURNS SETOF subscribers LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT * FROM subscribers
     WHERE account_id = (current_setting('request.jwt.claims', true)::json ->> 'account_id')::bigint
       AND publication_id = p_publication_id
     ORDER BY created_at DESC;
$$;

-- subscriber detail drawer (GET /rpc/get_subscriber?p_id=…)
CREATE OR REPLACE FUNCTION api.get_subscriber(p_id bigint)
RETURNS subscribers LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT * FROM subscribers WHERE id = p_id;
$$;

COMMIT;
