-- Seat holds: a row per hold, valid for 10 minutes while the buyer pays.
CREATE TABLE seat_holds (
    id         bigserial PRIMARY KEY,
    event_id   bigint      NOT NULL,
    seat_id    bigint      NOT NULL REFERENCES seats (id),
    user_id    bigint      NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX seat_holds_seat_idx ON seat_holds (seat_id, expires_at);

-- name: HoldSeat :exec
INSERT INTO seat_holds (event_id, seat_id, user_id, expires_at)
VALUES ($1, $2, $3, now() + interval '10 minutes');

-- name: AvailableSeats :many
SELECT s.id, s.section, s.row_label, s.number
FROM seats s
LEFT JOIN seat_holds h ON h.seat_id = s.id AND h.expires_at > now()
WHERE s.event_id = $1 AND h.id IS NULL
ORDER BY s.section, s.row_label, s.number;

-- Expired holds are only history: drop them every five minutes (pg_cron).
SELECT cron.schedule('purge-expired-seat-holds', '*/5 * * * *',
  $$DELETE FROM seat_holds WHERE expires_at < now()$$);
