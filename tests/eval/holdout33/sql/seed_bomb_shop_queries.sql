-- Wildflower seed bomb shop (MySQL 8). Queries and procedures used by the
-- order admin and checkout.

-- Admin "Orders" page: newest first.
SELECT o.id, o.shop_order_id, o.email, o.postcode, o.status, o.total_pence, o.placed_at
  FROM seed_orders o
 ORDER BY o.placed_at DESC;

-- Packing sheet for one dispatch day.
SELECT o.id, o.postcode, l.sku, l.qty
  FROM seed_orders o
  JOIN seed_order_lines l ON l.order_id = o.id
 WHERE o.status = 'to_pack'
   AND o.dispatch_date = ?
 ORDER BY o.postcode, o.id
 LIMIT 500;

DELIMITER //

-- Apply a one-use-per-customer discount code (e.g. BEES10) at checkout.
CREATE PROCEDURE redeem_discount(
    IN  p_code        VARCHAR(32),
    IN  p_customer_id BIGINT,
    IN  p_order_id    BIGINT,
    OUT p_percent     INT
)
BEGIN
    DECLARE v_used INT DEFAULT 0;
    DECLARE v_pct  INT;

    SELECT percent_off INTO v_pct
      FROM discount_codes
     WHERE code = p_code AND active = 1 AND (valid_until IS NULL OR valid_until > NOW());

    IF v_pct IS NULL THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'unknown or expired code';
    END IF;

    SELECT COUNT(*) INTO v_used FROM discount_redemptions WHERE code = p_code AND customer_id = p_customer_id;

    IF v_used > 0 THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'code already used';
    END IF;

    INSERT INTO discount_redemptions (code, customer_id, order_id, redeemed_at)
    VALUES (p_code, p_customer_id, p_order_id, NOW());

    UPDATE seed_orders
       SET total_pence = ROUND(total_pence * (100 - v_pct) / 100)
     WHERE id = p_order_id;

    SET p_percent = v_pct;
END //

DELIMITER ;
