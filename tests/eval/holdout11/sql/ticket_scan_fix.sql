-- Q: is this safe if two gates scan the same barcode at once?
-- A: Yes with this version: the check and the write are one statement, so only one
--    scanner can flip scanned_at from NULL; the other gets zero rows back.

UPDATE tickets
   SET scanned_at = now(),
       gate_id    = $2
 WHERE barcode    = $1
   AND event_id   = $3
   AND scanned_at IS NULL
   AND voided     = false
RETURNING id, holder_name, seat_label;

-- 0 rows -> look up why (for the red screen text):
SELECT scanned_at, gate_id, voided FROM tickets WHERE barcode = $1 AND event_id = $3;
