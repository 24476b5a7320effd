-- Ice rink skate hire stock procedures (MySQL 8.0, InnoDB).
-- Called by the kiosk service at the hire counter and by the nightly job.

DELIMITER $$

-- Hand out one pair; fails if the size is out of stock.
CREATE PROCEDURE hire_skates(IN p_rink_id INT, IN p_size VARCHAR(8), IN p_skater_id INT)
BEGIN
    UPDATE skate_stock
       SET on_shelf = on_shelf - 1, updated_at = NOW()
     WHERE rink_id = p_rink_id AND size_code = p_size AND on_shelf > 0;

    IF ROW_COUNT() = 0 THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'size out of stock';
    END IF;

    INSERT INTO skate_hires (rink_id, size_code, skater_id, hired_at, status)
    VALUES (p_rink_id, p_size, p_skater_id, NOW(), 'out');
END$$

-- Skates come back from the rink side in a tray of several pairs.
CREATE PROCEDURE return_skates(IN p_rink_id INT, IN p_size VARCHAR(8), IN p_pairs INT)
BEGIN
    DECLARE v_on_shelf INT;

    SELECT on_shelf INTO v_on_shelf
      FROM skate_stock
     WHERE rink_id = p_rink_id AND size_code = p_size;

    UPDATE skate_stock
       SET on_shelf = v_on_shelf + p_pairs, updated_at = NOW()
     WHERE rink_id = p_rink_id AND size_code = p_size;

    UPDATE skate_hires
       SET status = 'returned', returned_at = NOW()
     WHERE rink_id = p_rink_id AND size_code = p_size AND status = 'out'
     ORDER BY hired_at
     LIMIT p_pairs;
END$$

-- Nightly: charge a late fee for skates not back by closing time.
CREATE PROCEDURE charge_unreturned_skates(IN p_rink_id INT)
BEGIN
    DECLARE done INT DEFAULT 0;
    DECLARE v_hire_id INT;
    DECLARE v_skater_id INT;
    DECLARE v_fee DECIMAL(6,2);
    DECLARE cur CURSOR FOR
        SELECT id, skater_id FROM skate_hires
         WHERE rink_id = p_rink_id AND status = 'out' AND hired_at < CURDATE();
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;

    OPEN cur;
    hire_loop: LOOP
        FETCH cur INTO v_hire_id, v_skater_id;
        IF done = 1 THEN
            LEAVE hire_loop;
        END IF;

        SELECT CASE WHEN m.membership = 'season' THEN 5.00 ELSE 12.50 END INTO v_fee
          FROM skaters m WHERE m.id = v_skater_id;

        UPDATE skate_hires
           SET status = 'overdue', late_fee = v_fee
         WHERE id = v_hire_id;
    END LOOP;
    CLOSE cur;
END$$

DELIMITER ;
