// is this safe if two volunteers press "allocate" for the same item at the same time?
// (food bank app, Spring Boot, 2 instances behind the load balancer)

@Transactional
public void allocate(long pantryId, long itemId, int qty, long householdId) {
    int rows = jdbc.update("""
            UPDATE pantry_stock
               SET on_hand = on_hand - ?
             WHERE pantry_id = ? AND item_id = ? AND on_hand >= ?
            """, qty, pantryId, itemId, qty);
    if (rows == 0) {
        throw new InsufficientStockException(itemId, qty);
    }
    jdbc.update("INSERT INTO allocations (pantry_id, item_id, household_id, qty) VALUES (?, ?, ?, ?)",
            pantryId, itemId, householdId, qty);
}
