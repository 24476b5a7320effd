-- 0061_auth_tokens.sql
-- Password reset + email verification tokens, and the job that purges them.
-- Requires the pg_cron extension (enabled on RDS via the parameter group).

CREATE EXTENSION IF NOT EXISTS pg_cron;

CREATE TABLE auth_tokens (
    token_hash  bytea       PRIMARY KEY,          -- sha256 of the token we emailed
    user_id     bigint      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     text        NOT NULL CHECK (purpose IN ('password_reset', 'verify_email')),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX auth_tokens_expires_at_idx ON auth_tokens (expires_at);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id, purpose);

-- Issue a token: invalidates any previous unused token of the same purpose.
CREATE OR REPLACE FUNCTION issue_auth_token(p_user_id bigint, p_purpose text, p_token_hash bytea, p_ttl interval)
RETURNS void
LANGUAGE sql AS $$
    DELETE FROM auth_tokens WHERE user_id = p_user_id AND purpose = p_purpose AND used_at IS NULL;
    INSERT INTO auth_tokens (token_hash, user_id, purpose, expires_at)
    VALUES (p_token_hash, p_user_id, p_purpose, now() + p_ttl);
$$;

-- Consume a token exactly once. Returns the user id, or NULL if the token is
-- unknown, expired or already used. The conditional UPDATE makes a second
-- concurrent consume of the same token a no-op.
CREATE OR REPLACE FUNCTION consume_auth_token(p_token_hash bytea, p_purpose text)
RETURNS bigint
LANGUAGE sql AS $$
    UPDATE auth_tokens
       SET used_at = now()
     WHERE token_hash = p_token_hash
       AND purpose = p_purpose
       AND used_at IS NULL
       AND expires_at > now()
    RETURNING user_id;
$$;

-- Purge expired and used tokens every 15 minutes, in batches so a backlog
-- never holds long locks.
SELECT cron.schedule(
    'purge-auth-tokens',
    '*/15 * * * *',
    $job$
    DELETE FROM auth_tokens
     WHERE token_hash IN (
         SELECT token_hash FROM auth_tokens
          WHERE expires_at < now() - interval '1 hour'
             OR used_at < now() - interval '1 day'
          LIMIT 10000
     )
    $job$
);
