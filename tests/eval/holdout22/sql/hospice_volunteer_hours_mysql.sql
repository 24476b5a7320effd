-- MySQL 8.0 — volunteer hours for the hospice group's shared rota system.
-- Each hospice in the group is a tenant (hospice_id); volunteers sign out of a
-- shift on the reception kiosk, which calls sp_sign_out_shift.

DELIMITER $$

CREATE PROCEDURE sp_sign_out_shift(
    IN p_hospice_id INT,
    IN p_shift_id   BIGINT,
    IN p_volunteer  BIGINT
)
BEGIN
    DECLARE v_minutes     INT;
    DECLARE v_total       INT;
    DECLARE v_signed_in   DATETIME;

    START TRANSACTION;

    SELECT signed_in_at INTO v_signed_in
      FROM volunteer_shifts
     WHERE id = p_shift_id
       AND hospice_id = p_hospice_id
       AND volunteer_id = p_volunteer
       AND signed_out_at IS NULL
     FOR UPDATE;

    IF v_signed_in IS NULL THEN
        ROLLBACK;
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no open shift to sign out of';
    END IF;

    SET v_minutes = TIMESTAMPDIFF(MINUTE, v_signed_in, NOW());

    UPDATE volunteer_shifts
       SET signed_out_at = NOW(), minutes = v_minutes
     WHERE id = p_shift_id AND hospice_id = p_hospice_id;

    -- Running total shown on the volunteer's badge screen and used for the
    -- 100-hour long-service certificate.
    SELECT total_minutes INTO v_total
      FROM volunteers
     WHERE id = p_volunteer AND hospice_id = p_hospice_id;

    UPDATE volunteers
       SET total_minutes = v_total + v_minutes,
           last_shift_at = NOW()
     WHERE id = p_volunteer AND hospice_id = p_hospice_id;

    COMMIT;
END$$

DELIMITER ;

-- Coordinator's "who is in the building" panel, per hospice.
SELECT v.first_name, v.last_name, s.role, s.signed_in_at
  FROM volunteer_shifts s
  JOIN volunteers v ON v.id = s.volunteer_id
 WHERE s.hospice_id = ?
   AND s.signed_out_at IS NULL
 ORDER BY s.signed_in_at
 LIMIT 100;

-- Long-service certificates awaiting printing for the coordinator.
SELECT v.id, v.first_name, v.last_name, v.total_minutes DIV 60 AS hours
  FROM volunteers v
 WHERE v.total_minutes >= 6000
   AND v.certificate_printed_at IS NULL
 ORDER BY v.total_minutes DESC
 LIMIT 50;
