// Here's a corrected, production-ready version of your deck booking endpoint.
//
// What was wrong: the original code SELECTed `deck_metres_left`, compared it in Java and then
// wrote the new value back. Two agents booking the last 5 metres at the same moment both saw
// "5.0 left" and both succeeded, so the sailing ended up overbooked. The fix lets PostgreSQL do
// the check and the decrement in ONE conditional UPDATE, and we only insert the booking when
// exactly one row was updated. Everything runs in a single transaction.

package com.harbourline.booking.web;

import java.time.Instant;
import java.util.Map;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/sailings")
public class FerryDeckBookingController {

    private final JdbcTemplate jdbc;

    public FerryDeckBookingController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record DeckBookingRequest(String bookingRef, String vehicleClass, String plate) {}

    @PostMapping("/{sailingId}/deck-bookings")
    @Transactional
    public ResponseEntity<?> book(@PathVariable long sailingId, @RequestBody DeckBookingRequest req) {
        // Vehicle length comes from a static reference table (car = 4.5 m, van = 6 m, ...),
        // so reading it first is fine - nothing concurrent writes to it.
        Double lengthMetres = jdbc.query(
                "SELECT length_metres FROM vehicle_classes WHERE code = ?",
                rs -> rs.next() ? rs.getDouble(1) : null,
                req.vehicleClass());
        if (lengthMetres == null) {
            return ResponseEntity.badRequest().body(Map.of("error", "unknown vehicle class"));
        }

        // Atomic check-and-decrement: only succeeds if there is still room on the car deck.
        int updated = jdbc.update("""
                UPDATE sailings
                   SET deck_metres_left = deck_metres_left - ?
                 WHERE id = ?
                   AND status = 'OPEN'
                   AND deck_metres_left >= ?
                """, lengthMetres, sailingId, lengthMetres);
        if (updated == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "not enough deck space on this sailing"));
        }

        try {
            jdbc.update("""
                    INSERT INTO deck_bookings (sailing_id, booking_ref, vehicle_class, plate, length_metres, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, sailingId, req.bookingRef(), req.vehicleClass(), req.plate(), lengthMetres, Instant.now());
        } catch (DuplicateKeyException e) {
            // booking_ref is UNIQUE, so this is a double-submit of the same form. Rethrowing rolls
            // back the decrement above (we're inside @Transactional), so no deck space is lost.
            throw new BookingAlreadyExistsException(req.bookingRef(), e);
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("bookingRef", req.bookingRef()));
    }

    @DeleteMapping("/{sailingId}/deck-bookings/{bookingRef}")
    @Transactional
    public ResponseEntity<Void> cancel(@PathVariable long sailingId, @PathVariable String bookingRef) {
        // DELETE ... RETURNING hands back the released length from the same statement,
        // so a double cancel can't give the space back twice.
        Double released = jdbc.query(
                "DELETE FROM deck_bookings WHERE sailing_id = ? AND booking_ref = ? RETURNING length_metres",
                rs -> rs.next() ? rs.getDouble(1) : null,
                sailingId, bookingRef);
        if (released == null) {
            return ResponseEntity.notFound().build();
        }
        jdbc.update("UPDATE sailings SET deck_metres_left = deck_metres_left + ? WHERE id = ?", released, sailingId);
        return ResponseEntity.noContent().build();
    }

    @ResponseStatus(HttpStatus.CONFLICT)
    static class BookingAlreadyExistsException extends RuntimeException {
        BookingAlreadyExistsException(String ref, Throwable cause) {
            super("booking " + ref + " already exists", cause);
        }
    }
}

// Optional belt-and-braces: add a constraint so the column can never go negative even if
// someone writes another code path later:
//   ALTER TABLE sailings ADD CONSTRAINT deck_space_non_negative CHECK (deck_metres_left >= 0);
