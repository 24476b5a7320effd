-- queries/ringing.sql (PostgreSQL, sqlc)
-- Wetland bird ringing groups log every capture here. Groups share the
-- database, so each query is scoped by ringing_group_id.

-- name: ListCapturesPage :many
-- Keyset pagination, newest first; the app passes the last id it showed.
SELECT c.id, c.ring_number, c.species_code, c.age_code, c.sex, c.wing_mm, c.weight_g, c.caught_at
  FROM captures c
 WHERE c.ringing_group_id = $1
   AND c.site_code = $2
   AND c.id < $3
 ORDER BY c.id DESC
 LIMIT 100;

-- name: RingersForCaptures :many
-- One round trip for all the ringers on a page of captures.
SELECT r.id, r.name, r.permit_class
  FROM ringers r
 WHERE r.ringing_group_id = $1
   AND r.id = ANY($2::bigint[]);

-- name: RetrapHistory :many
-- All encounters of a single ring; a long-lived reed warbler has a handful.
SELECT c.caught_at, c.site_code, c.wing_mm, c.weight_g, c.fat_score
  FROM captures c
 WHERE c.ringing_group_id = $1
   AND c.ring_number = $2
 ORDER BY c.caught_at
 LIMIT 50;

-- name: NextRingFromString :one
-- Rings come on strings of 100; hand out the next number atomically.
UPDATE ring_strings
   SET next_offset = next_offset + 1
 WHERE ringing_group_id = $1
   AND ring_size = $2
   AND id = $3
   AND next_offset < 100
RETURNING prefix || lpad((next_offset - 1)::text, 2, '0') AS ring_number;

-- name: InsertCapture :one
-- The app sends a client-generated capture_uuid so a resubmitted field
-- sheet from a phone with patchy signal does not create a second capture.
INSERT INTO captures (ringing_group_id, capture_uuid, ring_number, species_code,
                      age_code, sex, wing_mm, weight_g, fat_score, site_code, ringer_id, caught_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (ringing_group_id, capture_uuid) DO NOTHING
RETURNING id;

-- name: SiteSpeciesTotalsForSession :many
-- Totals for one ringing session (a morning at one site); feeds the session report.
SELECT c.species_code, count(*) AS birds, count(*) FILTER (WHERE c.is_retrap) AS retraps
  FROM captures c
 WHERE c.ringing_group_id = $1
   AND c.site_code = $2
   AND c.caught_at >= $3
   AND c.caught_at <  $3 + interval '1 day'
 GROUP BY c.species_code
 ORDER BY birds DESC
 LIMIT 60;
