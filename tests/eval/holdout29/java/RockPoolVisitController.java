package org.shorelinelearning.visits;

import java.time.LocalDate;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Schools book places on guided rock-pool visits at low tide. Teachers often double-click
 * "Book" on a flaky school connection, so the form sends an Idempotency-Key header.
 */
@RestController
@RequestMapping("/api/schools/{schoolId}/visits")
public class RockPoolVisitController {

    private final JdbcTemplate jdbc;

    public RockPoolVisitController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<VisitBooking> book(@PathVariable long schoolId,
                                             @RequestHeader("Idempotency-Key") String idempotencyKey,
                                             @RequestBody BookVisit body) {
        if (body.pupils() < 1 || body.pupils() > 35) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "1 to 35 pupils per group");
        }

        int fresh = jdbc.update(
            "INSERT INTO visit_bookings (idempotency_key, school_id, slot_id, pupils) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (school_id, idempotency_key) DO NOTHING",
            idempotencyKey, schoolId, body.slotId(), body.pupils());
        if (fresh == 0) {
            return ResponseEntity.ok(findBooking(schoolId, idempotencyKey));
        }

        // Take the places only if enough are left; the WHERE clause makes this a single atomic step.
        int taken = jdbc.update(
            "UPDATE tide_slots SET places_left = places_left - ? WHERE id = ? AND places_left >= ?",
            body.pupils(), body.slotId(), body.pupils());
        if (taken == 0) {
            // rolls back the booking row inserted above
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Not enough places left on that tide");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(findBooking(schoolId, idempotencyKey));
    }

    @GetMapping
    public List<VisitBooking> list(@PathVariable long schoolId,
                                   @RequestParam(defaultValue = "0") int page,
                                   @RequestParam(defaultValue = "20") int size) {
        int limit = Math.min(Math.max(size, 1), 50);
        return jdbc.query(
            "SELECT b.id, b.slot_id, s.low_tide_at, s.beach, b.pupils FROM visit_bookings b "
                + "JOIN tide_slots s ON s.id = b.slot_id "
                + "WHERE b.school_id = ? AND s.low_tide_at >= ? "
                + "ORDER BY s.low_tide_at LIMIT ? OFFSET ?",
            (rs, i) -> new VisitBooking(rs.getLong("id"), rs.getLong("slot_id"),
                rs.getTimestamp("low_tide_at").toInstant(), rs.getString("beach"), rs.getInt("pupils")),
            schoolId, LocalDate.now(), limit, Math.max(page, 0) * limit);
    }

    private VisitBooking findBooking(long schoolId, String idempotencyKey) {
        return jdbc.queryForObject(
            "SELECT b.id, b.slot_id, s.low_tide_at, s.beach, b.pupils FROM visit_bookings b "
                + "JOIN tide_slots s ON s.id = b.slot_id WHERE b.school_id = ? AND b.idempotency_key = ?",
            (rs, i) -> new VisitBooking(rs.getLong("id"), rs.getLong("slot_id"),
                rs.getTimestamp("low_tide_at").toInstant(), rs.getString("beach"), rs.getInt("pupils")),
            schoolId, idempotencyKey);
    }

    public record BookVisit(long slotId, int pupils) {}
    public record VisitBooking(long id, long slotId, java.time.Instant lowTideAt, String beach, int pupils) {}
}
