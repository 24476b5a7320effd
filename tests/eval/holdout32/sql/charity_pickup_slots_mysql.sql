-- Migration 0014: pickup slot reservations for the charity shop van (MySQL 8).
-- A donor reserves a pickup window while filling in the item list; the
-- reservation lapses after 30 minutes if the form is not submitted.

CREATE TABLE pickup_windows (
    id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    area_code     VARCHAR(8)      NOT NULL,
    starts_at     DATETIME        NOT NULL,
    van_capacity  TINYINT UNSIGNED NOT NULL DEFAULT 6,
    KEY idx_windows_start (starts_at, area_code)
) ENGINE=InnoDB;

CREATE TABLE pickup_reservations (
    id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    window_id     BIGINT UNSIGNED NOT NULL,
    donor_email   VARCHAR(254)    NOT NULL,
    postcode      VARCHAR(10)     NOT NULL,
    created_at    DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at    DATETIME        NOT NULL,
    confirmed_at  DATETIME        NULL,
    driver_id     INT UNSIGNED    NULL,
    KEY idx_res_window (window_id, expires_at),
    CONSTRAINT fk_res_window FOREIGN KEY (window_id) REFERENCES pickup_windows (id)
) ENGINE=InnoDB;

DELIMITER //

CREATE PROCEDURE reserve_pickup(IN p_window_id BIGINT, IN p_email VARCHAR(254), IN p_postcode VARCHAR(10))
BEGIN
    DECLARE v_used INT;
    DECLARE v_cap  INT;

    START TRANSACTION;
    -- Lock the window row so two donors cannot take the last place together.
    SELECT van_capacity INTO v_cap FROM pickup_windows WHERE id = p_window_id FOR UPDATE;

    SELECT COUNT(*) INTO v_used
      FROM pickup_reservations
     WHERE window_id = p_window_id
       AND (confirmed_at IS NOT NULL OR expires_at > NOW());

    IF v_used < v_cap THEN
        INSERT INTO pickup_reservations (window_id, donor_email, postcode, expires_at)
        VALUES (p_window_id, p_email, p_postcode, NOW() + INTERVAL 30 MINUTE);
        COMMIT;
        SELECT LAST_INSERT_ID() AS reservation_id;
    ELSE
        ROLLBACK;
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'pickup window full';
    END IF;
END //

-- Run by the van coordinator the evening before: give each confirmed pickup
-- a driver who covers that postcode area.
CREATE PROCEDURE assign_drivers(IN p_day DATE)
BEGIN
    DECLARE v_done INT DEFAULT 0;
    DECLARE v_res_id BIGINT;
    DECLARE v_area VARCHAR(8);
    DECLARE cur CURSOR FOR
        SELECT r.id, w.area_code
          FROM pickup_reservations r
          JOIN pickup_windows w ON w.id = r.window_id
         WHERE w.starts_at >= p_day AND w.starts_at < p_day + INTERVAL 1 DAY
           AND r.confirmed_at IS NOT NULL AND r.driver_id IS NULL;
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;

    OPEN cur;
    read_loop: LOOP
        FETCH cur INTO v_res_id, v_area;
        IF v_done = 1 THEN
            LEAVE read_loop;
        END IF;

        UPDATE pickup_reservations
           SET driver_id = (SELECT d.id FROM van_drivers d
                             WHERE d.home_area = v_area AND d.available_on = p_day
                             ORDER BY d.id LIMIT 1)
         WHERE id = v_res_id;
    END LOOP;
    CLOSE cur;
END //

DELIMITER ;
