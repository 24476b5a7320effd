-- Auth tokens (PostgreSQL)
CREATE TABLE auth_tokens (
    token_hash  text PRIMARY KEY,
    user_id     bigint NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- name: CreateToken :exec
INSERT INTO auth_tokens (token_hash, user_id, expires_at)
VALUES ($1, $2, now() + interval '30 days');

-- name: UserForToken :one
SELECT user_id FROM auth_tokens WHERE token_hash = $1 AND expires_at > now();

-- name: DeleteToken :exec
DELETE FROM auth_tokens WHERE token_hash = $1;
