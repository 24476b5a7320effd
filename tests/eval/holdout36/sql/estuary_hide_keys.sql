-- Migration 0014: padlock codes for the estuary birdwatch hides.
-- Members used to borrow physical keys from the warden's hut; the hides now
-- have combination padlocks and members request a code in the app. Each
-- code is valid for one hide for 24 hours and is charged against the
-- member's key deposit.

BEGIN;

CREATE TABLE hide_access_codes (
    id           bigserial   PRIMARY KEY,
    hide_id      integer     NOT NULL REFERENCES hides(id),
    member_id    bigint      NOT NULL REFERENCES birdwatch_members(id),
    code         char(4)     NOT NULL,
    issued_at    timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

CREATE INDEX hide_access_codes_lookup_idx
    ON hide_access_codes (hide_id, code, expires_at);

ALTER TABLE birdwatch_members
    ADD COLUMN deposit_pence integer NOT NULL DEFAULT 0 CHECK (deposit_pence >= 0);

-- Deduct the per-code charge from the member's deposit.
CREATE OR REPLACE FUNCTION charge_hide_deposit(p_member_id bigint, p_pence integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_balance integer;
BEGIN
    SELECT deposit_pence INTO v_balance FROM birdwatch_members WHERE id = p_member_id;
    IF v_balance IS NULL THEN
        RAISE EXCEPTION 'unknown member %', p_member_id;
    END IF;
    IF v_balance < p_pence THEN
        RAISE EXCEPTION 'deposit too low (% pence left)', v_balance USING ERRCODE = 'check_violation';
    END IF;
    UPDATE birdwatch_members SET deposit_pence = v_balance - p_pence WHERE id = p_member_id;
    RETURN v_balance - p_pence;
END;
$$;

-- Issue a code for one hide; the app shows it on the member's screen.
CREATE OR REPLACE FUNCTION issue_hide_code(p_member_id bigint, p_hide_id integer)
RETURNS char(4)
LANGUAGE plpgsql AS $$
DECLARE
    v_code char(4);
BEGIN
    PERFORM charge_hide_deposit(p_member_id, 50);
    v_code := lpad((floor(random() * 10000))::int::text, 4, '0');
    INSERT INTO hide_access_codes (hide_id, member_id, code, expires_at)
    VALUES (p_hide_id, p_member_id, v_code, now() + interval '24 hours');
    RETURN v_code;
END;
$$;

-- The padlock bridge asks whether a code is currently good for a hide.
CREATE OR REPLACE FUNCTION hide_code_valid(p_hide_id integer, p_code char(4))
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM hide_access_codes
         WHERE hide_id = p_hide_id AND code = p_code AND expires_at > now()
    );
$$;

COMMIT;
