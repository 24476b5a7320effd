-- V22__tree_adoption.sql
-- Heritage orchard tree adoptions. Several orchard trusts use the site;
-- trust_id is on every table and every query filters on it.

CREATE TABLE orchard_trees (
    id         bigserial PRIMARY KEY,
    trust_id   int  NOT NULL REFERENCES trusts(id),
    variety    text NOT NULL,               -- e.g. 'Ashmead''s Kernel'
    row_label  text NOT NULL,
    planted_in int,
    status     text NOT NULL DEFAULT 'available'
               CHECK (status IN ('available', 'adopted', 'resting')),
    UNIQUE (trust_id, row_label)
);

CREATE TABLE tree_adoptions (
    id          bigserial PRIMARY KEY,
    trust_id    int    NOT NULL REFERENCES trusts(id),
    tree_id     bigint NOT NULL REFERENCES orchard_trees(id),
    adopter_id  bigint NOT NULL REFERENCES adopters(id),
    request_id  uuid   NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    adopted_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (trust_id, request_id)
);

-- At most one active adoption per tree, enforced by the database.
CREATE UNIQUE INDEX tree_adoptions_one_active
    ON tree_adoptions (tree_id) WHERE active;

-- Adopt a tree. request_id comes from the checkout page, so a resubmitted
-- form returns the existing adoption instead of creating a second one.
CREATE OR REPLACE FUNCTION adopt_tree(p_trust_id int, p_tree_id bigint,
                                      p_adopter_id bigint, p_request_id uuid)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_status   text;
    v_adoption bigint;
BEGIN
    -- Lock the tree first; retries of the same request queue behind it.
    SELECT status INTO v_status
      FROM orchard_trees
     WHERE trust_id = p_trust_id AND id = p_tree_id
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'tree % not found', p_tree_id USING ERRCODE = 'no_data_found';
    END IF;

    SELECT id INTO v_adoption
      FROM tree_adoptions
     WHERE trust_id = p_trust_id AND request_id = p_request_id;
    IF FOUND THEN
        RETURN v_adoption;
    END IF;

    IF v_status <> 'available' THEN
        RAISE EXCEPTION 'tree % is not available', p_tree_id USING ERRCODE = 'P0002';
    END IF;

    INSERT INTO tree_adoptions (trust_id, tree_id, adopter_id, request_id)
    VALUES (p_trust_id, p_tree_id, p_adopter_id, p_request_id)
    RETURNING id INTO v_adoption;

    UPDATE orchard_trees
       SET status = 'adopted'
     WHERE trust_id = p_trust_id AND id = p_tree_id;

    RETURN v_adoption;
END;
$$;

-- name: AvailableTrees :many
SELECT id, variety, row_label, planted_in
FROM orchard_trees
WHERE trust_id = $1 AND status = 'available' AND id > $2
ORDER BY id
LIMIT 40;

-- name: MyAdoptions :many
SELECT a.id, t.variety, t.row_label, a.adopted_at
FROM tree_adoptions a
JOIN orchard_trees t ON t.id = a.tree_id AND t.trust_id = a.trust_id
WHERE a.trust_id = $1 AND a.adopter_id = $2 AND a.active
ORDER BY a.adopted_at DESC
LIMIT 20;
