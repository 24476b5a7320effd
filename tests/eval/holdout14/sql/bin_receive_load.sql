-- is this safe if two trucks dump into the same bin at the same time?
-- (scale house app runs this right after the outbound weigh)
UPDATE bins
   SET bushels    = bushels + :load_bu,
       last_load  = :ticket_id,
       updated_at = now()
 WHERE id = :bin_id
   AND elevator_id = :elevator_id
   AND bushels + :load_bu <= capacity_bu
RETURNING bushels, capacity_bu - bushels AS room_left;
-- no row back => bin is full, app tells the operator to send the truck to the overflow bin
