package com.voltpark.charging.api;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Production-ready REST controller for reserving EV chargers in a parking garage.
 *
 * Features:
 *  - Drivers can hold a free charger for 15 minutes before plugging in
 *  - Live charging sessions are tracked in memory so the status screen is instant
 *  - Clean JSON responses with proper HTTP status codes
 *
 * Deployment: charging-api runs as 3 pods behind the garage ALB (k8s/charging-api.yaml).
 */
@RestController
@RequestMapping("/api/garages/{garageId}/chargers")
public class ChargerReservationController {

    private static final Duration HOLD_DURATION = Duration.ofMinutes(15);

    private final JdbcTemplate jdbc;

    // Live sessions keyed by session id -> fast lookups for the level displays
    private final Map<String, LiveSession> liveSessions = new ConcurrentHashMap<>();

    public ChargerReservationController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record HoldRequest(long driverId, String plate) {}

    public record LiveSession(String sessionId, long garageId, long chargerId,
                              long driverId, Instant startedAt) {}

    /**
     * Places a 15-minute hold on a charger.
     */
    @PostMapping("/{chargerId}/hold")
    @Transactional
    public ResponseEntity<?> holdCharger(@PathVariable long garageId,
                                         @PathVariable long chargerId,
                                         @RequestBody HoldRequest req) {
        // 1. Make sure the charger is free
        String status = jdbc.queryForObject(
                "SELECT status FROM chargers WHERE id = ? AND garage_id = ?",
                String.class, chargerId, garageId);

        if (!"AVAILABLE".equals(status)) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "Charger is not available"));
        }

        // 2. Mark it as held
        jdbc.update("UPDATE chargers SET status = 'HELD' WHERE id = ? AND garage_id = ?",
                chargerId, garageId);

        // 3. Record the hold so the driver can see when it lapses
        Instant holdUntil = Instant.now().plus(HOLD_DURATION);
        jdbc.update(
                "INSERT INTO charger_holds (charger_id, driver_id, plate, hold_until) VALUES (?, ?, ?, ?)",
                chargerId, req.driverId(), req.plate(), Timestamp.from(holdUntil));

        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of("chargerId", chargerId, "holdUntil", holdUntil.toString()));
    }

    /**
     * Called by the charger firmware bridge when the cable is plugged in.
     */
    @PostMapping("/{chargerId}/sessions")
    public ResponseEntity<LiveSession> startSession(@PathVariable long garageId,
                                                    @PathVariable long chargerId,
                                                    @RequestParam long driverId) {
        jdbc.update("UPDATE chargers SET status = 'CHARGING' WHERE id = ? AND garage_id = ?",
                chargerId, garageId);

        LiveSession session = new LiveSession(UUID.randomUUID().toString(), garageId,
                chargerId, driverId, Instant.now());
        liveSessions.put(session.sessionId(), session);
        return ResponseEntity.status(HttpStatus.CREATED).body(session);
    }

    @GetMapping("/sessions/live")
    public List<LiveSession> liveForGarage(@PathVariable long garageId) {
        return liveSessions.values().stream()
                .filter(s -> s.garageId() == garageId)
                .toList();
    }

    @DeleteMapping("/sessions/{sessionId}")
    public ResponseEntity<Void> stopSession(@PathVariable long garageId,
                                            @PathVariable String sessionId) {
        LiveSession session = liveSessions.remove(sessionId);
        if (session == null) {
            return ResponseEntity.notFound().build();
        }
        jdbc.update("UPDATE chargers SET status = 'AVAILABLE' WHERE id = ? AND garage_id = ?",
                session.chargerId(), garageId);
        jdbc.update("INSERT INTO charging_sessions (charger_id, driver_id, started_at, ended_at) VALUES (?, ?, ?, now())",
                session.chargerId(), session.driverId(), Timestamp.from(session.startedAt()));
        return ResponseEntity.noContent().build();
    }
}
