-- Migration 0017: member reservations against rare-seed accessions.
-- A reservation holds seed for 7 days while the member arranges collection;
-- expired reservations are purged nightly by pg_cron (see bottom).

BEGIN;

CREATE TABLE seed_reservations (
    id            bigserial   PRIMARY KEY,
    bank_id       bigint      NOT NULL REFERENCES seed_banks(id),
    accession_id  bigint      NOT NULL,
    member_id     bigint      NOT NULL,
    grams         numeric(8,2) NOT NULL CHECK (grams > 0),
    request_key   uuid        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '7 days',
    FOREIGN KEY (bank_id, accession_id) REFERENCES accessions (bank_id, id),
    -- one live reservation per member and accession; the request key makes
    -- a resubmitted form a no-op
    UNIQUE (bank_id, accession_id, member_id),
    UNIQUE (bank_id, request_key)
);

CREATE INDEX seed_reservations_expires_idx ON seed_reservations (expires_at);
CREATE INDEX seed_reservations_member_idx  ON seed_reservations (bank_id, member_id, created_at DESC);

ALTER TABLE accessions
    ADD COLUMN reserved_grams numeric(10,2) NOT NULL DEFAULT 0,
    ADD CONSTRAINT accessions_reserved_le_stock CHECK (reserved_grams <= stock_grams);

-- Reserve seed atomically: the CHECK constraint and the guarded UPDATE make
-- over-reservation impossible even with concurrent members.
CREATE OR REPLACE FUNCTION reserve_seed(p_bank bigint, p_accession bigint, p_member bigint,
                                        p_grams numeric, p_key uuid)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO seed_reservations (bank_id, accession_id, member_id, grams, request_key)
    VALUES (p_bank, p_accession, p_member, p_grams, p_key)
    ON CONFLICT (bank_id, request_key) DO NOTHING
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN
        SELECT id INTO v_id FROM seed_reservations
         WHERE bank_id = p_bank AND request_key = p_key;
        RETURN v_id;
    END IF;

    UPDATE accessions
       SET reserved_grams = reserved_grams + p_grams
     WHERE bank_id = p_bank AND id = p_accession
       AND stock_grams - reserved_grams >= p_grams;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'insufficient seed in accession %', p_accession
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN v_id;
END;
$$;

-- Nightly purge: release the held grams and delete expired reservations.
CREATE OR REPLACE PROCEDURE purge_expired_seed_reservations()
LANGUAGE sql
AS $$
    WITH expired AS (
        DELETE FROM seed_reservations
         WHERE expires_at < now()
        RETURNING bank_id, accession_id, grams
    ), released AS (
        SELECT bank_id, accession_id, sum(grams) AS grams
          FROM expired
         GROUP BY bank_id, accession_id
    )
    UPDATE accessions a
       SET reserved_grams = a.reserved_grams - r.grams
      FROM released r
     WHERE a.bank_id = r.bank_id AND a.id = r.accession_id;
$$;

SELECT cron.schedule('purge-seed-reservations', '15 3 * * *',
                     'CALL purge_expired_seed_reservations()');

COMMIT;
