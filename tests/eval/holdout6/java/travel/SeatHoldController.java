// Here's a production-ready Spring Boot controller for holding seats on a tour departure.
// It checks remaining capacity, creates a 15-minute hold, and notifies the supplier so
// their inventory stays in sync. All DB work runs inside a single transaction.
package com.wanderly.booking.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

/**
 * REST endpoints for seat holds on tour departures.
 *
 * <p>Flow:
 * <ol>
 *   <li>Check remaining capacity for the departure.</li>
 *   <li>Insert a hold row that expires after {@value #HOLD_MINUTES} minutes.</li>
 *   <li>Notify the supplier so they can reserve inventory on their side.</li>
 * </ol>
 */
@RestController
@RequestMapping("/api/departures")
public class SeatHoldController {

    private static final int HOLD_MINUTES = 15;

    private final JdbcTemplate jdbc;
    private final RestTemplate supplierClient = new RestTemplate();

    @Value("${supplier.base-url}")
    private String supplierBaseUrl;

    public SeatHoldController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record HoldRequest(long customerId, int seats) {}

    public record HoldResponse(String holdId, Instant holdUntil) {}

    @PostMapping("/{departureId}/holds")
    @Transactional
    public ResponseEntity<?> holdSeats(@PathVariable long departureId, @RequestBody HoldRequest req) {
        if (req.seats() < 1 || req.seats() > 9) {
            return ResponseEntity.badRequest().body(Map.of("error", "seats must be between 1 and 9"));
        }

        Integer capacity = jdbc.queryForObject(
                "SELECT capacity FROM departures WHERE id = ?", Integer.class, departureId);
        Integer taken = jdbc.queryForObject("""
                SELECT COALESCE(SUM(seats), 0) FROM seat_holds
                WHERE departure_id = ? AND (confirmed OR hold_until > now())
                """, Integer.class, departureId);

        // Reject early if there isn't enough room left on this departure
        if (capacity == null || taken + req.seats() > capacity) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "Not enough seats left on this departure"));
        }

        String holdId = UUID.randomUUID().toString();
        Instant holdUntil = Instant.now().plus(HOLD_MINUTES, ChronoUnit.MINUTES);
        jdbc.update("""
                INSERT INTO seat_holds (id, departure_id, customer_id, seats, hold_until, confirmed)
                VALUES (?, ?, ?, ?, ?, false)
                """, holdId, departureId, req.customerId(), req.seats(), java.sql.Timestamp.from(holdUntil));

        // Keep the supplier's allotment in sync with ours
        supplierClient.postForEntity(
                supplierBaseUrl + "/allotments/" + departureId + "/reserve",
                Map.of("reference", holdId, "pax", req.seats()),
                Void.class);

        return ResponseEntity.status(HttpStatus.CREATED).body(new HoldResponse(holdId, holdUntil));
    }

    @PostMapping("/holds/{holdId}/confirm")
    @Transactional
    public ResponseEntity<?> confirm(@PathVariable String holdId, @RequestParam long customerId) {
        // Conditional update: only a live, unconfirmed hold owned by this customer can be confirmed.
        int updated = jdbc.update("""
                UPDATE seat_holds SET confirmed = true
                WHERE id = ? AND customer_id = ? AND confirmed = false AND hold_until > now()
                """, holdId, customerId);
        if (updated == 0) {
            return ResponseEntity.status(HttpStatus.GONE).body(Map.of("error", "Hold expired or not found"));
        }
        return ResponseEntity.ok(Map.of("holdId", holdId, "status", "CONFIRMED"));
    }
}
