-- 2024_09_02_choir_library.sql  (PostgreSQL 15)
-- Sheet-music library for choirs: each choir (tenant) owns its catalogue of
-- scores and lends copies to singers for the concert season.

CREATE TABLE scores (
    id               bigserial PRIMARY KEY,
    choir_id         bigint NOT NULL REFERENCES choirs(id),
    title            text NOT NULL,
    composer         text NOT NULL,
    voicing          text NOT NULL,            -- SATB, SSA, TTBB ...
    publisher_sku    text,
    licensed_copies  int NOT NULL DEFAULT 0 CHECK (licensed_copies >= 0),
    copies_out       int NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT copies_out_within_licence CHECK (copies_out BETWEEN 0 AND licensed_copies),
    CONSTRAINT scores_choir_sku_uq UNIQUE (choir_id, publisher_sku)
);

CREATE INDEX scores_choir_title_idx ON scores (choir_id, lower(title), id);

CREATE TABLE score_loans (
    id           bigserial PRIMARY KEY,
    choir_id     bigint NOT NULL REFERENCES choirs(id),
    score_id     bigint NOT NULL REFERENCES scores(id),
    singer_id    bigint NOT NULL REFERENCES singers(id),
    copies       int NOT NULL DEFAULT 1 CHECK (copies BETWEEN 1 AND 3),
    lent_at      timestamptz NOT NULL DEFAULT now(),
    returned_at  timestamptz
);

-- A singer holds at most one open loan per score.
CREATE UNIQUE INDEX score_loans_open_uq ON score_loans (score_id, singer_id) WHERE returned_at IS NULL;

-- Webhook deliveries from publishers, recorded once per event id.
CREATE TABLE publisher_events (
    event_id     text PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now()
);

-- name: lend_score
-- Runs inside a transaction: the copy counter only moves if a copy is free,
-- and the CHECK constraint backs that up. When no row comes back (no free
-- copy, or the singer already has one) the caller rolls the transaction back.
WITH taken AS (
    UPDATE scores
       SET copies_out = copies_out + $4,
           updated_at = now()
     WHERE id = $2
       AND choir_id = $1
       AND copies_out + $4 <= licensed_copies
    RETURNING id, choir_id
)
INSERT INTO score_loans (choir_id, score_id, singer_id, copies)
SELECT taken.choir_id, taken.id, $3, $4
  FROM taken
ON CONFLICT (score_id, singer_id) WHERE returned_at IS NULL DO NOTHING
RETURNING id;

-- name: return_score
WITH returned AS (
    UPDATE score_loans
       SET returned_at = now()
     WHERE id = $2 AND choir_id = $1 AND returned_at IS NULL
    RETURNING score_id, copies
)
UPDATE scores s
   SET copies_out = s.copies_out - returned.copies,
       updated_at = now()
  FROM returned
 WHERE s.id = returned.score_id
   AND s.choir_id = $1;

-- name: search_catalogue
-- Keyset pagination on (lower(title), id).
SELECT id, title, composer, voicing, licensed_copies - copies_out AS available
  FROM scores
 WHERE choir_id = $1
   AND lower(title) LIKE lower($2) || '%'
   AND (lower(title), id) > (lower($3), $4)
 ORDER BY lower(title), id
 LIMIT 40;
