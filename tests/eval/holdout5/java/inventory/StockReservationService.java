package com.shopfront.inventory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stock reservations for the flash-sale checkout.
 *
 * - reserve(): atomic conditional decrement, never oversells
 * - release(): DELETE ... RETURNING, so a double release cannot return stock twice
 * - expireReservations(): sweeper that gives back stock from abandoned carts
 */
@Service
@RequiredArgsConstructor
@Slf4j
public class StockReservationService {

    private static final Duration RESERVATION_TTL = Duration.ofMinutes(15);

    private final JdbcTemplate jdbc;

    @Transactional
    public Reservation reserve(UUID cartId, String sku, int qty) {
        int updated = jdbc.update("""
                UPDATE inventory
                   SET available = available - ?, updated_at = now()
                 WHERE sku = ? AND available >= ?
                """, qty, sku, qty);
        if (updated == 0) {
            throw new OutOfStockException(sku);
        }
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO stock_reservations (id, cart_id, sku, qty, expires_at)
                VALUES (?, ?, ?, ?, now() + make_interval(secs => ?))
                """, id, cartId, sku, qty, RESERVATION_TTL.toSeconds());
        return new Reservation(id, sku, qty);
    }

    @Transactional
    public void release(UUID reservationId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "DELETE FROM stock_reservations WHERE id = ? RETURNING sku, qty", reservationId);
        if (rows.isEmpty()) {
            return; // already released, converted or expired
        }
        Map<String, Object> row = rows.get(0);
        jdbc.update("UPDATE inventory SET available = available + ? WHERE sku = ?",
                row.get("qty"), row.get("sku"));
    }

    /** One coupon use per customer, enforced by the (coupon_id, customer_id) primary key. */
    @Transactional
    public boolean redeemCoupon(long couponId, long customerId, UUID orderId) {
        int inserted = jdbc.update("""
                INSERT INTO coupon_redemptions (coupon_id, customer_id, order_id, redeemed_at)
                VALUES (?, ?, ?, now())
                ON CONFLICT (coupon_id, customer_id) DO NOTHING
                """, couponId, customerId, orderId);
        return inserted == 1;
    }

    @Scheduled(fixedDelayString = "PT1M")
    @SchedulerLock(name = "stock-reservation-sweeper", lockAtMostFor = "PT5M")
    @Transactional
    public void expireReservations() {
        int skus = jdbc.update("""
                WITH expired AS (
                    DELETE FROM stock_reservations
                     WHERE expires_at < now()
                    RETURNING sku, qty
                ), per_sku AS (
                    SELECT sku, SUM(qty) AS qty FROM expired GROUP BY sku
                )
                UPDATE inventory i
                   SET available = i.available + p.qty, updated_at = now()
                  FROM per_sku p
                 WHERE i.sku = p.sku
                """);
        if (skus > 0) {
            log.info("Returned stock for {} SKUs from expired reservations", skus);
        }
    }

    public record Reservation(UUID id, String sku, int qty) {}
}
