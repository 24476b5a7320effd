-- migrate:up
-- Hedgerow planting volunteers: invite links and planting records.
-- Single organisation (the county wildlife trust); one database per trust.

CREATE TABLE volunteers (
    id            bigserial PRIMARY KEY,
    email         citext      NOT NULL UNIQUE,
    display_name  text        NOT NULL,
    parish        text,
    joined_at     timestamptz NOT NULL DEFAULT now()
);

-- One-time links emailed to people who sign up at a planting day stall.
CREATE TABLE volunteer_invite_tokens (
    token        text        PRIMARY KEY,          -- 32 random bytes, base64url
    email        citext      NOT NULL,
    planting_day date,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '72 hours',
    redeemed_at  timestamptz
);
CREATE INDEX volunteer_invite_tokens_email_idx ON volunteer_invite_tokens (email);

CREATE TABLE planting_records (
    id             bigserial PRIMARY KEY,
    volunteer_id   bigint      NOT NULL REFERENCES volunteers(id),
    site_name      text        NOT NULL,
    grid_ref       text        NOT NULL,
    metres_planted numeric(6,1) NOT NULL CHECK (metres_planted > 0),
    species_mix    text[]      NOT NULL,   -- hawthorn, blackthorn, hazel, field maple, dog rose
    guards_used    integer     NOT NULL DEFAULT 0,
    planted_on     date        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX planting_records_planted_on_idx ON planting_records (planted_on DESC);
CREATE INDEX planting_records_volunteer_idx ON planting_records (volunteer_id, planted_on DESC);

-- migrate:down
DROP TABLE planting_records;
DROP TABLE volunteer_invite_tokens;
DROP TABLE volunteers;


-- ---------------------------------------------------------------------------
-- queries.sql (sqlc)

-- name: CreateInvite :one
INSERT INTO volunteer_invite_tokens (token, email, planting_day)
VALUES ($1, $2, $3)
RETURNING token, expires_at;

-- name: RedeemInvite :one
UPDATE volunteer_invite_tokens
   SET redeemed_at = now()
 WHERE token = $1
   AND redeemed_at IS NULL
   AND expires_at > now()
RETURNING email, planting_day;

-- name: VolunteerPlantings :many
SELECT id, site_name, grid_ref, metres_planted, species_mix, planted_on
  FROM planting_records
 WHERE volunteer_id = $1
 ORDER BY planted_on DESC
 LIMIT $2 OFFSET $3;

-- name: AllPlantingsForMap :many
-- Public map of every hedge planted since the scheme began (GET /api/plantings).
SELECT p.id, p.site_name, p.grid_ref, p.metres_planted, p.species_mix, p.planted_on, v.display_name
  FROM planting_records p
  JOIN volunteers v ON v.id = p.volunteer_id
 ORDER BY p.planted_on DESC;

-- name: TotalMetresThisSeason :one
SELECT coalesce(sum(metres_planted), 0) AS metres
  FROM planting_records
 WHERE planted_on >= make_date(extract(year FROM current_date)::int - 1, 11, 1);
