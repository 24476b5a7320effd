package com.pawtrail.booking;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Production-ready slot booking endpoints for the PawTrail dog-walking marketplace.
 *
 * Flow:
 *  1. The owner picks one of a walker's published time slots.
 *  2. We place a 10-minute hold on the slot while the owner completes payment.
 *  3. The payment step calls /confirm, which turns the hold into a confirmed walk.
 *
 * Deployment: booking-api runs as a Kubernetes Deployment with replicas: 3 behind the ingress.
 */
@RestController
@RequestMapping("/api/walks")
public class WalkBookingController {

    private static final int MAX_HOLDS_PER_MINUTE = 5;
    private static final Duration HOLD_TTL = Duration.ofMinutes(10);

    private final JdbcTemplate jdbc;

    // Per-owner throttle so a single client can't hoard every slot of a popular walker.
    private final Map<Long, Window> holdAttempts = new ConcurrentHashMap<>();

    public WalkBookingController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Places a temporary hold on a slot.
     * Returns 409 if the slot is already held or booked, 429 if the owner is retrying too fast.
     */
    @PostMapping("/slots/{slotId}/hold")
    @Transactional
    public ResponseEntity<HoldResponse> holdSlot(@PathVariable long slotId,
                                                 @AuthenticationPrincipal OwnerPrincipal owner) {
        if (!allow(owner.id())) {
            throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS, "Too many hold attempts, try again shortly");
        }

        // Make sure nobody else currently holds or has booked this slot.
        Integer taken = jdbc.queryForObject("""
                SELECT (SELECT COUNT(*) FROM walk_slot_holds
                         WHERE slot_id = ? AND status = 'HELD' AND expires_at > now())
                     + (SELECT COUNT(*) FROM walks
                         WHERE slot_id = ? AND status <> 'CANCELLED')
                """, Integer.class, slotId, slotId);

        if (taken != null && taken > 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "This slot is no longer available");
        }

        UUID holdId = UUID.randomUUID();
        OffsetDateTime expiresAt = OffsetDateTime.now().plus(HOLD_TTL);
        jdbc.update("INSERT INTO walk_slot_holds (id, slot_id, owner_id, status, expires_at) VALUES (?, ?, ?, 'HELD', ?)",
                holdId, slotId, owner.id(), expiresAt);

        return ResponseEntity.status(HttpStatus.CREATED).body(new HoldResponse(holdId, expiresAt));
    }

    /**
     * Converts a still-valid hold into a confirmed walk. Called after payment succeeds.
     */
    @PostMapping("/holds/{holdId}/confirm")
    @Transactional
    public ResponseEntity<Void> confirm(@PathVariable UUID holdId,
                                        @AuthenticationPrincipal OwnerPrincipal owner) {
        int converted = jdbc.update("""
                UPDATE walk_slot_holds SET status = 'CONVERTED'
                 WHERE id = ? AND owner_id = ? AND status = 'HELD' AND expires_at > now()
                """, holdId, owner.id());
        if (converted == 0) {
            throw new ResponseStatusException(HttpStatus.GONE, "Hold expired, please pick the slot again");
        }
        jdbc.update("""
                INSERT INTO walks (slot_id, owner_id, status, created_at)
                SELECT slot_id, owner_id, 'CONFIRMED', now() FROM walk_slot_holds WHERE id = ?
                """, holdId);
        return ResponseEntity.noContent().build();
    }

    private boolean allow(long ownerId) {
        long minute = Instant.now().getEpochSecond() / 60;
        Window w = holdAttempts.compute(ownerId,
                (k, cur) -> (cur == null || cur.minute != minute) ? new Window(minute) : cur);
        return w.count.incrementAndGet() <= MAX_HOLDS_PER_MINUTE;
    }

    private static final class Window {
        final long minute;
        final AtomicInteger count = new AtomicInteger();

        Window(long minute) {
            this.minute = minute;
        }
    }

    public record HoldResponse(UUID holdId, OffsetDateTime expiresAt) {}
}
