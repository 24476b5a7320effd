package com.tixly.booking.api;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Seat hold API for the interactive seat map.
 *
 * Flow:
 *  1. Client opens the seat map and subscribes to live updates (SSE).
 *  2. User clicks a seat -> POST /holds places a 10 minute hold.
 *  3. Checkout converts the hold into a ticket (see CheckoutController).
 *
 * Deployment: booking-api runs as 3 replicas behind the nginx ingress.
 */
@RestController
@RequestMapping("/api/events/{eventId}")
@RequiredArgsConstructor
@Slf4j
public class SeatHoldController {

    private static final Duration HOLD_DURATION = Duration.ofMinutes(10);

    private final JdbcTemplate jdbc;

    // Live seat-map subscribers per event, so every viewer sees new holds instantly.
    private final Map<Long, List<SseEmitter>> subscribers = new ConcurrentHashMap<>();

    @GetMapping(path = "/seatmap/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter subscribe(@PathVariable long eventId) {
        SseEmitter emitter = new SseEmitter(0L);
        subscribers.computeIfAbsent(eventId, id -> new CopyOnWriteArrayList<>()).add(emitter);
        emitter.onCompletion(() -> subscribers.getOrDefault(eventId, List.of()).remove(emitter));
        emitter.onTimeout(emitter::complete);
        return emitter;
    }

    /**
     * Places a hold on a single seat. Returns 409 if the seat is already held or sold.
     */
    @PostMapping("/holds")
    @Transactional
    public ResponseEntity<HoldResponse> holdSeat(@PathVariable long eventId,
                                                 @RequestBody @Valid HoldRequest req,
                                                 @AuthenticationPrincipal Jwt jwt) {
        // 1. Make sure nobody else currently holds or owns this seat
        Integer activeHolds = jdbc.queryForObject("""
                SELECT COUNT(*) FROM seat_holds
                 WHERE event_id = ? AND seat_id = ? AND hold_until > now() AND converted_at IS NULL
                """, Integer.class, eventId, req.seatId());
        Boolean sold = jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM tickets WHERE event_id = ? AND seat_id = ?)",
                Boolean.class, eventId, req.seatId());

        if ((activeHolds != null && activeHolds > 0) || Boolean.TRUE.equals(sold)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }

        // 2. Create the hold
        Instant holdUntil = Instant.now().plus(HOLD_DURATION);
        UUID holdId = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO seat_holds (id, event_id, seat_id, user_id, hold_until)
                VALUES (?, ?, ?, ?, ?)
                """, holdId, eventId, req.seatId(), jwt.getSubject(), Timestamp.from(holdUntil));

        // 3. Notify everyone looking at the seat map
        broadcast(eventId, Map.of("seatId", req.seatId(), "state", "HELD"));
        log.info("Seat {} held for event {} by {} until {}", req.seatId(), eventId, jwt.getSubject(), holdUntil);
        return ResponseEntity.status(HttpStatus.CREATED).body(new HoldResponse(holdId, holdUntil));
    }

    private void broadcast(long eventId, Object payload) {
        for (SseEmitter emitter : subscribers.getOrDefault(eventId, List.of())) {
            try {
                emitter.send(SseEmitter.event().name("seat").data(payload));
            } catch (IOException e) {
                log.debug("Dropping dead SSE subscriber for event {}", eventId);
                subscribers.get(eventId).remove(emitter);
            }
        }
    }

    public record HoldRequest(@NotNull Long seatId) {}

    public record HoldResponse(UUID holdId, Instant holdUntil) {}
}
