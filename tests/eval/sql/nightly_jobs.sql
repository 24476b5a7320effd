-- Nightly maintenance, scheduled with pg_cron

CREATE OR REPLACE PROCEDURE refresh_customer_stats()
LANGUAGE plpgsql
AS $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT id FROM customers WHERE active LOOP
        UPDATE customer_stats
           SET order_count = (SELECT count(*) FROM orders WHERE customer_id = c.id),
               lifetime_cents = (SELECT coalesce(sum(total_cents), 0) FROM orders WHERE customer_id = c.id),
               refreshed_at = now()
         WHERE customer_id = c.id;
    END LOOP;
    COMMIT;
END;
$$;

CREATE OR REPLACE PROCEDURE refresh_product_stats()
LANGUAGE sql
AS $$
    UPDATE product_stats ps
       SET units_sold = s.units, refreshed_at = now()
      FROM (SELECT product_id, sum(quantity) AS units FROM order_lines GROUP BY product_id) s
     WHERE s.product_id = ps.product_id;
$$;

SELECT cron.schedule('customer-stats', '15 2 * * *', 'CALL refresh_customer_stats()');
SELECT cron.schedule('product-stats', '30 2 * * *', 'CALL refresh_product_stats()');
SELECT cron.schedule('purge-sessions', '*/10 * * * *', $$DELETE FROM sessions WHERE expires_at < now()$$);
