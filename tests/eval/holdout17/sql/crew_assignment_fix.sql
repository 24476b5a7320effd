-- Good catch: your original assign_to_crew() did
--     SELECT count(*) INTO n FROM crew_members WHERE crew_id = ...;
--     IF n < max_size THEN INSERT ...
-- which lets two dispatchers overfill a wildfire hand crew at the same time.
-- Here is a race-free version. The capacity check and the increment happen in
-- one conditional UPDATE, and the membership insert is protected by a unique
-- constraint, so running it concurrently from every dispatch console is safe.

ALTER TABLE crews
    ADD COLUMN IF NOT EXISTS assigned_count int NOT NULL DEFAULT 0,
    ADD CONSTRAINT crews_assigned_le_max CHECK (assigned_count <= max_size);

-- one-off backfill of the counter from existing rows
UPDATE crews c
   SET assigned_count = (SELECT count(*) FROM crew_members m WHERE m.crew_id = c.id);

ALTER TABLE crew_members
    ADD CONSTRAINT crew_members_one_crew_per_shift UNIQUE (firefighter_id, shift_id);

CREATE OR REPLACE FUNCTION assign_to_crew(p_crew bigint, p_firefighter bigint, p_shift bigint)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_rows int;
BEGIN
    -- 1. claim a place on the crew (fails cleanly when the crew is full)
    UPDATE crews
       SET assigned_count = assigned_count + 1
     WHERE id = p_crew
       AND shift_id = p_shift
       AND assigned_count < max_size;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows = 0 THEN
        RETURN 'crew_full';
    END IF;

    -- 2. add the member; the unique constraint stops double-booking a
    --    firefighter on two crews in the same shift
    BEGIN
        INSERT INTO crew_members (crew_id, firefighter_id, shift_id, assigned_at)
        VALUES (p_crew, p_firefighter, p_shift, now());
    EXCEPTION
        WHEN unique_violation THEN
            -- give the place back; the whole function runs in the caller's
            -- transaction so this undo is atomic with step 1
            UPDATE crews SET assigned_count = assigned_count - 1 WHERE id = p_crew;
            RETURN 'already_assigned';
    END;

    RETURN 'assigned';
END;
$$;

-- Releasing a member mirrors the same pattern.
CREATE OR REPLACE FUNCTION release_from_crew(p_crew bigint, p_firefighter bigint, p_shift bigint)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    DELETE FROM crew_members
     WHERE crew_id = p_crew AND firefighter_id = p_firefighter AND shift_id = p_shift;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    UPDATE crews SET assigned_count = assigned_count - 1 WHERE id = p_crew;
    RETURN true;
END;
$$;
