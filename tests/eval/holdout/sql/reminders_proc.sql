-- MySQL: queue reminder e-mails for carts abandoned more than a day ago
DELIMITER //
CREATE PROCEDURE queue_cart_reminders()
BEGIN
    INSERT INTO email_queue (user_id, template, created_at)
    SELECT c.user_id, 'cart_reminder', NOW()
    FROM carts c
    WHERE c.updated_at < NOW() - INTERVAL 1 DAY
      AND c.reminded_at IS NULL;

    UPDATE carts SET reminded_at = NOW()
    WHERE updated_at < NOW() - INTERVAL 1 DAY AND reminded_at IS NULL;
END //
DELIMITER ;
