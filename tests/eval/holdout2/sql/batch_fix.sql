-- one-off fix: recompute order totals after the tax bug (run once in psql)
DO $$
DECLARE
    o record;
BEGIN
    FOR o IN SELECT id FROM orders WHERE created_at >= '2024-03-01' LOOP
        UPDATE orders
           SET total_cents = (SELECT sum(quantity * unit_cents) FROM order_lines WHERE order_id = o.id)
         WHERE id = o.id;
    END LOOP;
END $$;
