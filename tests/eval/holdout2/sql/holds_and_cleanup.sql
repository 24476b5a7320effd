-- Ticket holds with a sweeper
CREATE TABLE ticket_holds (
    id bigserial PRIMARY KEY,
    ticket_id bigint NOT NULL UNIQUE,
    user_id bigint NOT NULL,
    expires_at timestamptz NOT NULL
);

-- name: HoldTicket :one
INSERT INTO ticket_holds (ticket_id, user_id, expires_at)
VALUES ($1, $2, now() + interval '15 minutes')
ON CONFLICT (ticket_id) DO NOTHING
RETURNING id;

-- name: SweepHolds :exec
DELETE FROM ticket_holds WHERE expires_at < now();
