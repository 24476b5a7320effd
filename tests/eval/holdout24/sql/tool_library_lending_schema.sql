-- V17__tool_library_lending.sql
-- Community tool library: members borrow drills, ladders, wallpaper steamers...
-- A member can place a short hold on a tool before collecting it from the shed.

CREATE TABLE tools (
    id           bigserial PRIMARY KEY,
    name         text        NOT NULL,
    category     text        NOT NULL,
    condition    text        NOT NULL DEFAULT 'good',
    retired      boolean     NOT NULL DEFAULT false
);

CREATE TABLE loans (
    id           bigserial PRIMARY KEY,
    tool_id      bigint      NOT NULL REFERENCES tools(id),
    member_id    bigint      NOT NULL REFERENCES members(id),
    lent_at      timestamptz NOT NULL DEFAULT now(),
    due_on       date        NOT NULL,
    returned_at  timestamptz
);
-- At most one open loan per tool; a second checkout fails with a unique violation.
CREATE UNIQUE INDEX loans_one_open_per_tool ON loans (tool_id) WHERE returned_at IS NULL;
CREATE INDEX loans_member_idx ON loans (member_id, lent_at DESC);

CREATE TABLE tool_holds (
    tool_id      bigint      PRIMARY KEY REFERENCES tools(id),
    member_id    bigint      NOT NULL REFERENCES members(id),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '24 hours'
);
CREATE INDEX tool_holds_expires_idx ON tool_holds (expires_at);

-- Place a hold. An expired hold by someone else is taken over in the same statement;
-- a live one leaves the row untouched and the function returns false.
CREATE OR REPLACE FUNCTION place_hold(p_tool_id bigint, p_member_id bigint)
RETURNS boolean
LANGUAGE sql AS $$
    WITH placed AS (
        INSERT INTO tool_holds (tool_id, member_id)
        VALUES (p_tool_id, p_member_id)
        ON CONFLICT (tool_id) DO UPDATE
            SET member_id  = EXCLUDED.member_id,
                expires_at = EXCLUDED.expires_at
            WHERE tool_holds.expires_at < now()
               OR tool_holds.member_id = EXCLUDED.member_id
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM placed);
$$;

-- Check a tool out. The partial unique index rejects a concurrent second loan;
-- another member's live hold blocks the checkout, and the borrower's own hold is consumed.
CREATE OR REPLACE FUNCTION checkout_tool(p_tool_id bigint, p_member_id bigint, p_days integer)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_loan_id bigint;
BEGIN
    INSERT INTO loans (tool_id, member_id, due_on)
    SELECT p_tool_id, p_member_id, current_date + p_days
    WHERE NOT EXISTS (
        SELECT 1 FROM tool_holds h
        WHERE h.tool_id = p_tool_id AND h.member_id <> p_member_id AND h.expires_at > now()
    )
    RETURNING id INTO v_loan_id;

    IF v_loan_id IS NULL THEN
        RAISE EXCEPTION 'tool % is held by another member', p_tool_id USING ERRCODE = 'P0002';
    END IF;

    DELETE FROM tool_holds WHERE tool_id = p_tool_id AND member_id = p_member_id;
    RETURN v_loan_id;
END;
$$;

-- Expired holds are removed every 15 minutes.
SELECT cron.schedule(
    'tool-holds-expiry',
    '*/15 * * * *',
    $$DELETE FROM tool_holds WHERE expires_at < now()$$
);
