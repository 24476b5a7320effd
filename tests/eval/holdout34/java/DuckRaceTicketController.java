package org.millbrookrotary.duckrace.web;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Online sales for the annual duck race. There are a fixed number of numbered
 * plastic ducks; each ticket sold is one duck in the river.
 *
 * Schema notes:
 *   duck_races(id, ducks_available, ducks_sold, price_pence)  CHECK (ducks_sold <= ducks_available)
 *   duck_orders(id, race_id, buyer, quantity, idempotency_key UNIQUE, created_at)
 */
@RestController
@RequestMapping("/api/duck-race")
public class DuckRaceTicketController {

    public record PurchaseRequest(long raceId, int quantity) {}

    private final JdbcTemplate jdbc;

    public DuckRaceTicketController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping("/orders")
    @Transactional
    public ResponseEntity<?> buy(@RequestHeader("Idempotency-Key") String idempotencyKey,
                                 @RequestBody PurchaseRequest req,
                                 Principal buyer) {
        if (req.quantity() < 1 || req.quantity() > 20) {
            return ResponseEntity.badRequest().body(Map.of("error", "Between 1 and 20 ducks per order"));
        }

        // Record the order first; a retried request with the same key inserts nothing.
        List<Long> inserted = jdbc.queryForList(
                "INSERT INTO duck_orders (race_id, buyer, quantity, idempotency_key, created_at) "
                        + "VALUES (?, ?, ?, ?, now()) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
                Long.class, req.raceId(), buyer.getName(), req.quantity(), idempotencyKey);

        if (inserted.isEmpty()) {
            Map<String, Object> previous = jdbc.queryForMap(
                    "SELECT id, quantity FROM duck_orders WHERE idempotency_key = ? AND buyer = ?",
                    idempotencyKey, buyer.getName());
            return ResponseEntity.ok(previous);
        }

        // Reserve the ducks in one statement; the WHERE clause is the stock check.
        int updated = jdbc.update(
                "UPDATE duck_races SET ducks_sold = ducks_sold + ? "
                        + "WHERE id = ? AND ducks_sold + ? <= ducks_available",
                req.quantity(), req.raceId(), req.quantity());

        if (updated == 0) {
            // Roll back the order row together with everything else in this transaction.
            throw new SoldOutException(req.raceId());
        }

        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of("orderId", inserted.get(0), "quantity", req.quantity()));
    }

    // A buyer's own orders, most recent first, one page at a time.
    @GetMapping("/orders/mine")
    public List<Map<String, Object>> myOrders(Principal buyer,
                                              @RequestParam(defaultValue = "0") int page) {
        int size = 20;
        return jdbc.queryForList(
                "SELECT id, race_id, quantity, created_at FROM duck_orders WHERE buyer = ? "
                        + "ORDER BY created_at DESC LIMIT ? OFFSET ?",
                buyer.getName(), size, Math.max(0, page) * size);
    }

    @ResponseStatus(HttpStatus.CONFLICT)
    static class SoldOutException extends RuntimeException {
        SoldOutException(long raceId) {
            super("All ducks for race " + raceId + " have been sold");
        }
    }
}
