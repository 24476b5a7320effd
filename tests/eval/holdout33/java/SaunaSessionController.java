package coop.harbourside.sauna.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Booking API for the harbourside community sauna (8 benches per 50-minute session).
 * Runs as three pods behind the ingress; sessions are released on Sunday evenings
 * and the booking page gets hammered for the first few minutes.
 */
@RestController
@RequestMapping("/api/sessions")
public class SaunaSessionController {

    private static final int MAX_ATTEMPTS_PER_MINUTE = 10;

    public record SessionView(long id, LocalDateTime startsAt, int benchesLeft) {}
    public record BookingRequest(long memberId) {}

    private final Map<String, Deque<Instant>> attemptsByClient = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;

    public SaunaSessionController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping
    public List<SessionView> upcoming() {
        return jdbc.query(
            "SELECT id, starts_at, benches_left FROM sauna_sessions " +
            "WHERE starts_at >= now() ORDER BY starts_at LIMIT 42",
            (rs, i) -> new SessionView(rs.getLong(1), rs.getObject(2, LocalDateTime.class), rs.getInt(3)));
    }

    @PostMapping("/{sessionId}/bookings")
    @Transactional
    public Map<String, Object> book(@PathVariable long sessionId, @RequestBody BookingRequest body,
                                    HttpServletRequest request) {
        throttle(clientAddress(request));

        int inserted = jdbc.update(
            "INSERT INTO sauna_bookings (session_id, member_id, booked_at) VALUES (?, ?, now()) " +
            "ON CONFLICT (session_id, member_id) DO NOTHING",
            sessionId, body.memberId());
        if (inserted == 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "already booked on this session");
        }

        int taken = jdbc.update(
            "UPDATE sauna_sessions SET benches_left = benches_left - 1 WHERE id = ? AND benches_left > 0",
            sessionId);
        if (taken == 0) {
            // rolls back the booking row above
            throw new ResponseStatusException(HttpStatus.CONFLICT, "session is full");
        }
        return Map.of("sessionId", sessionId, "memberId", body.memberId(), "status", "BOOKED");
    }

    private void throttle(String client) {
        Instant now = Instant.now();
        Instant windowStart = now.minusSeconds(60);
        Deque<Instant> window = attemptsByClient.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst().isBefore(windowStart)) {
                window.pollFirst();
            }
            if (window.size() >= MAX_ATTEMPTS_PER_MINUTE) {
                throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS, "slow down");
            }
            window.addLast(now);
        }
    }

    /** Drops windows nobody has touched for a minute. */
    @Scheduled(fixedRate = 60_000)
    void sweepIdleWindows() {
        Instant cutoff = Instant.now().minusSeconds(60);
        attemptsByClient.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast().isBefore(cutoff);
            }
        });
    }

    private String clientAddress(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }
}
