DELIMITER $$

CREATE PROCEDURE reserve_item(IN p_item_id INT, IN p_order_id INT)
BEGIN
    DECLARE v_left INT;
    SELECT quantity_left INTO v_left FROM items WHERE id = p_item_id;
    IF v_left > 0 THEN
        UPDATE items SET quantity_left = v_left - 1 WHERE id = p_item_id;
        INSERT INTO reservations (item_id, order_id) VALUES (p_item_id, p_order_id);
    ELSE
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sold out';
    END IF;
END $$

CREATE PROCEDURE reserve_item_safe(IN p_item_id INT, IN p_order_id INT)
BEGIN
    UPDATE items SET quantity_left = quantity_left - 1 WHERE id = p_item_id AND quantity_left > 0;
    IF ROW_COUNT() = 0 THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sold out';
    END IF;
    INSERT INTO reservations (item_id, order_id) VALUES (p_item_id, p_order_id);
END $$

DELIMITER ;
