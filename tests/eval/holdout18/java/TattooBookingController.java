// Here's a production-ready booking endpoint for the studio app. It uses JdbcTemplate
// directly (no JPA overhead), validates the request, and places a 15-minute hold on the
// artist's slot while the client pays the deposit through the checkout page.

package com.inkhouse.booking.web;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/studios/{studioId}")
public class TattooBookingController {

    private static final Duration DEPOSIT_WINDOW = Duration.ofMinutes(15);

    private final JdbcTemplate jdbc;

    public TattooBookingController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record HoldRequest(@NotNull Long artistId,
                              @NotNull LocalDateTime startsAt,
                              @NotNull @Min(30) Integer durationMinutes,
                              @NotNull Long customerId) {}

    public record HoldResponse(String holdId, Instant holdUntil) {}

    /**
     * Places a temporary hold on an artist's chair.
     * Returns 409 if the artist is already booked (or held) for any part of that window.
     */
    @PostMapping("/holds")
    @Transactional
    public ResponseEntity<?> holdSlot(@PathVariable long studioId, @Valid @RequestBody HoldRequest req) {
        LocalDateTime endsAt = req.startsAt().plusMinutes(req.durationMinutes());

        // 1. Make sure nothing overlaps this window (confirmed bookings or live holds)
        Integer overlapping = jdbc.queryForObject("""
                SELECT COUNT(*) FROM (
                    SELECT starts_at, ends_at FROM bookings
                     WHERE studio_id = ? AND artist_id = ? AND status = 'CONFIRMED'
                    UNION ALL
                    SELECT starts_at, ends_at FROM slot_holds
                     WHERE studio_id = ? AND artist_id = ? AND hold_until > now() AND converted_at IS NULL
                ) s
                WHERE s.starts_at < ? AND s.ends_at > ?
                """, Integer.class,
                studioId, req.artistId(), studioId, req.artistId(), endsAt, req.startsAt());

        if (overlapping != null && overlapping > 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "That time is no longer available"));
        }

        // 2. Create the hold
        String holdId = UUID.randomUUID().toString();
        Instant holdUntil = Instant.now().plus(DEPOSIT_WINDOW);
        jdbc.update("""
                INSERT INTO slot_holds (id, studio_id, artist_id, customer_id, starts_at, ends_at, hold_until)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, holdId, studioId, req.artistId(), req.customerId(), req.startsAt(), endsAt,
                Timestamp.from(holdUntil));

        return ResponseEntity.status(HttpStatus.CREATED).body(new HoldResponse(holdId, holdUntil));
    }

    /**
     * Called by the payment page once the deposit succeeds: turns the hold into a booking.
     */
    @PostMapping("/holds/{holdId}/confirm")
    @Transactional
    public ResponseEntity<?> confirm(@PathVariable long studioId, @PathVariable String holdId) {
        int moved = jdbc.update("""
                INSERT INTO bookings (studio_id, artist_id, customer_id, starts_at, ends_at, status)
                SELECT studio_id, artist_id, customer_id, starts_at, ends_at, 'CONFIRMED'
                  FROM slot_holds
                 WHERE id = ? AND studio_id = ? AND hold_until > now() AND converted_at IS NULL
                """, holdId, studioId);

        if (moved == 0) {
            return ResponseEntity.status(HttpStatus.GONE)
                    .body(Map.of("error", "Hold expired, please pick the slot again"));
        }
        jdbc.update("UPDATE slot_holds SET converted_at = now() WHERE id = ?", holdId);
        return ResponseEntity.ok(Map.of("status", "CONFIRMED"));
    }

    @GetMapping("/artists/{artistId}/bookings")
    public List<Map<String, Object>> upcoming(@PathVariable long studioId, @PathVariable long artistId) {
        return jdbc.queryForList("""
                SELECT id, customer_id, starts_at, ends_at
                  FROM bookings
                 WHERE studio_id = ? AND artist_id = ? AND starts_at >= now() AND status = 'CONFIRMED'
                 ORDER BY starts_at
                 LIMIT 100
                """, studioId, artistId);
    }
}
