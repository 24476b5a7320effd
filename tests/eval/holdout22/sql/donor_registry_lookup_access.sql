-- Organ donor registry: specialist nurses at each transplant centre look up a
-- potential donor's registered decision. Each lookup is audited, and a
-- short-lived access grant lets the nurse reopen the record during the
-- family conversation without re-authenticating.
-- PostgreSQL 15, pg_cron installed on the primary.

CREATE TABLE registry_access_grants (
    id            bigserial PRIMARY KEY,
    centre_id     int         NOT NULL REFERENCES transplant_centres(id),
    nurse_id      bigint      NOT NULL,
    donor_id      bigint      NOT NULL REFERENCES donors(id),
    granted_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    UNIQUE (centre_id, nurse_id, donor_id)
);

CREATE INDEX registry_access_grants_expires_idx ON registry_access_grants (expires_at);

CREATE TABLE registry_lookup_audit (
    id            bigserial PRIMARY KEY,
    centre_id     int         NOT NULL,
    nurse_id      bigint      NOT NULL,
    donor_id      bigint      NOT NULL,
    looked_up_at  timestamptz NOT NULL DEFAULT now(),
    reason        text        NOT NULL
);

CREATE INDEX registry_lookup_audit_centre_time_idx
    ON registry_lookup_audit (centre_id, looked_up_at DESC, id DESC);

-- name: GrantAccess :one
-- Re-opening the record within the window extends the grant instead of adding rows.
INSERT INTO registry_access_grants (centre_id, nurse_id, donor_id, expires_at)
VALUES ($1, $2, $3, now() + interval '2 hours')
ON CONFLICT (centre_id, nurse_id, donor_id)
DO UPDATE SET expires_at = EXCLUDED.expires_at, granted_at = now()
RETURNING id, expires_at;

-- name: GetDonorDecision :one
SELECT d.id, d.registered_decision, d.faith_beliefs_declared, d.updated_at
  FROM donors d
  JOIN registry_access_grants g
    ON g.donor_id = d.id
 WHERE d.id = $1
   AND g.centre_id = $2
   AND g.nurse_id = $3
   AND g.expires_at > now();

-- name: RecordLookup :exec
INSERT INTO registry_lookup_audit (centre_id, nurse_id, donor_id, reason)
VALUES ($1, $2, $3, $4);

-- name: ListCentreLookups :many
-- Caldicott guardian's audit screen, keyset-paginated, one centre at a time.
SELECT id, nurse_id, donor_id, looked_up_at, reason
  FROM registry_lookup_audit
 WHERE centre_id = $1
   AND (looked_up_at, id) < ($2, $3)
 ORDER BY looked_up_at DESC, id DESC
 LIMIT 100;

-- Lapsed grants are of no use to anyone; clear them every ten minutes.
SELECT cron.schedule(
    'purge-expired-registry-grants',
    '*/10 * * * *',
    $$DELETE FROM registry_access_grants WHERE expires_at < now() - interval '1 day'$$
);
