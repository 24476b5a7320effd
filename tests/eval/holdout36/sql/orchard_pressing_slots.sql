-- Community orchard: pressing-day slots.
-- Members book a 30-minute slot at the scratter and press on pressing
-- days; each slot takes up to three members' fruit. Capacity is enforced
-- by a CHECK constraint on the counter rather than by reading it first.

CREATE TABLE IF NOT EXISTS pressing_slots (
    id            bigserial   PRIMARY KEY,
    pressing_day  date        NOT NULL,
    starts_at     time        NOT NULL,
    capacity      smallint    NOT NULL DEFAULT 3 CHECK (capacity > 0),
    booked        smallint    NOT NULL DEFAULT 0,
    CONSTRAINT pressing_slots_not_overbooked CHECK (booked <= capacity),
    CONSTRAINT pressing_slots_day_start UNIQUE (pressing_day, starts_at)
);

CREATE TABLE IF NOT EXISTS pressing_bookings (
    slot_id      bigint      NOT NULL REFERENCES pressing_slots(id),
    member_id    bigint      NOT NULL REFERENCES orchard_members(id),
    est_kg       numeric(6,1) NOT NULL CHECK (est_kg > 0),
    booked_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (slot_id, member_id)
);

-- Generate the day's slots in one statement (09:00-15:30, every 30 min);
-- re-running it for the same day is harmless.
INSERT INTO pressing_slots (pressing_day, starts_at)
SELECT $1::date, t::time
  FROM generate_series(timestamp '2000-01-01 09:00', timestamp '2000-01-01 15:30', interval '30 minutes') AS t
ON CONFLICT (pressing_day, starts_at) DO NOTHING;

-- Book a place: the booking row and the slot counter move in one
-- statement. A repeat booking inserts nothing and so counts nothing; a
-- full slot trips pressing_slots_not_overbooked and the whole statement
-- (booking included) is rolled back - the app shows "slot full".
WITH booking AS (
    INSERT INTO pressing_bookings (slot_id, member_id, est_kg)
    VALUES ($1, $2, $3)
    ON CONFLICT (slot_id, member_id) DO NOTHING
    RETURNING slot_id
)
UPDATE pressing_slots s
   SET booked = s.booked + 1
  FROM booking
 WHERE s.id = booking.slot_id
RETURNING s.id, s.capacity - s.booked AS places_left;

-- Slot board for one pressing day.
SELECT s.id, s.starts_at, s.capacity - s.booked AS places_left
  FROM pressing_slots s
 WHERE s.pressing_day = $1
 ORDER BY s.starts_at
 LIMIT 20;

-- Cancel: remove the booking and give the place back in one statement.
WITH gone AS (
    DELETE FROM pressing_bookings
     WHERE slot_id = $1 AND member_id = $2
    RETURNING slot_id
)
UPDATE pressing_slots s
   SET booked = s.booked - 1
  FROM gone
 WHERE s.id = gone.slot_id;
