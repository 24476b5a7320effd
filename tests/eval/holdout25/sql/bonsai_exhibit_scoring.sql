-- Bonsai society annual show: after judging closes, the show secretary runs
-- finalise_show() to total the judges' scores per exhibit and award society
-- points to the exhibitors.

CREATE OR REPLACE FUNCTION finalise_show(p_show_id bigint)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    r_exhibit   record;
    v_score     numeric(5,2);
    v_judges    integer;
    v_points    integer;
    v_awarded   integer := 0;
BEGIN
    FOR r_exhibit IN
        SELECT e.id, e.member_id, e.category
          FROM exhibits e
         WHERE e.show_id = p_show_id
           AND e.withdrawn = false
    LOOP
        SELECT avg(js.score), count(*)
          INTO v_score, v_judges
          FROM judge_scores js
         WHERE js.exhibit_id = r_exhibit.id;

        IF v_judges < 3 THEN
            RAISE NOTICE 'exhibit % has only % judge scores, skipped', r_exhibit.id, v_judges;
            CONTINUE;
        END IF;

        UPDATE exhibits
           SET final_score = v_score,
               placed      = v_score >= 8.0
         WHERE id = r_exhibit.id;

        IF v_score >= 8.0 THEN
            v_awarded := v_awarded + 1;
        END IF;
    END LOOP;

    RETURN v_awarded;
END;
$$;

-- Called from the members' area when the secretary ticks "award points"
-- next to a placed exhibit.
CREATE OR REPLACE FUNCTION award_show_points(p_member_id bigint, p_exhibit_id bigint)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_points   integer;
    v_bonus    integer;
BEGIN
    SELECT CASE WHEN final_score >= 9.0 THEN 10
                WHEN final_score >= 8.0 THEN 5
                ELSE 0 END
      INTO v_bonus
      FROM exhibits
     WHERE id = p_exhibit_id AND member_id = p_member_id;

    SELECT society_points INTO v_points
      FROM members
     WHERE id = p_member_id;

    UPDATE members
       SET society_points = v_points + v_bonus,
           points_updated_at = now()
     WHERE id = p_member_id;

    RETURN v_points + v_bonus;
END;
$$;
