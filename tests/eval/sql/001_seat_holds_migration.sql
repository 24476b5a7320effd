-- 001_seat_holds.sql — schema and queries for temporary seat holds
CREATE TABLE seat_holds (
    id          bigserial PRIMARY KEY,
    event_id    bigint      NOT NULL REFERENCES events (id),
    seat_id     bigint      NOT NULL REFERENCES seats (id),
    user_id     bigint      NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

CREATE UNIQUE INDEX seat_holds_active ON seat_holds (event_id, seat_id);
CREATE INDEX seat_holds_user ON seat_holds (user_id);

-- name: CreateHold :one
INSERT INTO seat_holds (event_id, seat_id, user_id, expires_at)
VALUES ($1, $2, $3, now() + interval '10 minutes')
RETURNING id, expires_at;

-- name: ActiveHoldsForEvent :many
SELECT seat_id, user_id, expires_at
FROM seat_holds
WHERE event_id = $1 AND expires_at > now()
LIMIT 1000;

-- name: ReleaseHold :exec
DELETE FROM seat_holds WHERE id = $1 AND user_id = $2;
