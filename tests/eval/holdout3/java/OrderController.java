package com.acme.shop.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.*;

import com.acme.shop.security.TenantContext;

/**
 * REST endpoints for orders. Every table here is multi-tenant (tenant_id column),
 * the tenant comes from the JWT via TenantContext.
 */
@RestController
@RequestMapping("/api/v1/orders")
public class OrderController {

    private final JdbcTemplate jdbc;

    public OrderController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record OrderLine(UUID productId, String sku, int quantity, BigDecimal unitPrice) {}

    public record OrderDto(UUID id, String status, BigDecimal total, Instant createdAt, List<OrderLine> lines) {}

    private static final RowMapper<OrderLine> LINE_MAPPER = (rs, i) -> new OrderLine(
            rs.getObject("product_id", UUID.class),
            rs.getString("sku"),
            rs.getInt("quantity"),
            rs.getBigDecimal("unit_price"));

    /** Lists all orders of the current tenant, newest first, with their lines. */
    @GetMapping
    public List<OrderDto> list() {
        UUID tenantId = TenantContext.currentTenant();
        List<OrderDto> orders = jdbc.query("""
                SELECT id, status, total, created_at
                  FROM orders
                 WHERE tenant_id = ?
                 ORDER BY created_at DESC
                """,
                (rs, i) -> new OrderDto(
                        rs.getObject("id", UUID.class),
                        rs.getString("status"),
                        rs.getBigDecimal("total"),
                        rs.getTimestamp("created_at").toInstant(),
                        List.of()),
                tenantId);

        // attach the lines to each order
        return orders.stream()
                .map(o -> new OrderDto(o.id(), o.status(), o.total(), o.createdAt(),
                        jdbc.query("SELECT product_id, sku, quantity, unit_price FROM order_lines WHERE order_id = ? AND tenant_id = ?",
                                LINE_MAPPER, o.id(), tenantId)))
                .toList();
    }

    @GetMapping("/{id}")
    public ResponseEntity<OrderDto> get(@PathVariable UUID id) {
        List<OrderDto> found = jdbc.query("""
                SELECT id, status, total, created_at
                  FROM orders
                 WHERE id = ?
                """,
                (rs, i) -> new OrderDto(
                        rs.getObject("id", UUID.class),
                        rs.getString("status"),
                        rs.getBigDecimal("total"),
                        rs.getTimestamp("created_at").toInstant(),
                        List.of()),
                id);
        if (found.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        OrderDto o = found.get(0);
        List<OrderLine> lines = jdbc.query(
                "SELECT product_id, sku, quantity, unit_price FROM order_lines WHERE order_id = ? AND tenant_id = ?",
                LINE_MAPPER, id, TenantContext.currentTenant());
        return ResponseEntity.ok(new OrderDto(o.id(), o.status(), o.total(), o.createdAt(), lines));
    }

    @PostMapping("/{id}/cancel")
    public ResponseEntity<Void> cancel(@PathVariable UUID id) {
        int updated = jdbc.update("""
                UPDATE orders
                   SET status = 'CANCELLED', updated_at = now()
                 WHERE id = ? AND tenant_id = ? AND status = 'PENDING'
                """, id, TenantContext.currentTenant());
        return updated == 1 ? ResponseEntity.noContent().build() : ResponseEntity.status(409).build();
    }
}
