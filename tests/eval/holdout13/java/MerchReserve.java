// is this safe if two fans try to buy the last XL tour hoodie at the same time?
// (Spring Boot 3, Postgres, runs on 4 pods during onsales)

@Transactional
public void reserve(long orderId, String sku, int qty) {
    int updated = jdbc.update(
        "UPDATE merch_variants SET stock = stock - ? WHERE sku = ? AND stock >= ?",
        qty, sku, qty);
    if (updated == 0) {
        throw new SoldOutException(sku);
    }
    jdbc.update("INSERT INTO order_lines (order_id, sku, qty) VALUES (?, ?, ?)", orderId, sku, qty);
