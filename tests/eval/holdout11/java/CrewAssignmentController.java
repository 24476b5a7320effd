package com.skycrew.roster.api;

import com.skycrew.roster.model.AssignmentRequest;
import com.skycrew.roster.model.SwapRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rostering endpoints used by the crew-control console.
 *
 * Deployed as roster-api: 4 pods behind the internal ingress (helm/values-prod.yaml),
 * Postgres 14 (crew_assignments is ~3M rows, indexed on crew_member_id, duty_start).
 */
@RestController
@RequestMapping("/api/roster")
public class CrewAssignmentController {

    private static final Logger log = LoggerFactory.getLogger(CrewAssignmentController.class);

    private final JdbcTemplate jdbc;
    private final RestTemplate ftlClient = new RestTemplate();

    // swap offers waiting for the second crew member to accept (token -> offer)
    private final Map<String, SwapRequest> pendingSwaps = new ConcurrentHashMap<>();

    public CrewAssignmentController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping("/assignments")
    @Transactional
    public ResponseEntity<?> assign(@RequestBody AssignmentRequest req) {
        if (!withinDutyLimits(req.crewMemberId(), req.dutyStart(), req.dutyEnd())) {
            return ResponseEntity.unprocessableEntity()
                    .body(Map.of("error", "flight time limitations exceeded"));
        }
        if (hasOverlappingDuty(req.crewMemberId(), req.dutyStart(), req.dutyEnd())) {
            return ResponseEntity.status(409).body(Map.of("error", "crew member already rostered"));
        }
        jdbc.update("""
                INSERT INTO crew_assignments (crew_member_id, flight_id, position, duty_start, duty_end)
                VALUES (?, ?, ?, ?, ?)
                """,
                req.crewMemberId(), req.flightId(), req.position(),
                Timestamp.from(req.dutyStart()), Timestamp.from(req.dutyEnd()));
        log.info("rostered crew {} on flight {} as {}", req.crewMemberId(), req.flightId(), req.position());
        return ResponseEntity.status(201).build();
    }

    private boolean hasOverlappingDuty(long crewMemberId, Instant start, Instant end) {
        Integer n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM crew_assignments WHERE crew_member_id = ? AND duty_start < ? AND duty_end > ?",
                Integer.class, crewMemberId, Timestamp.from(end), Timestamp.from(start));
        return n != null && n > 0;
    }

    private boolean withinDutyLimits(long crewMemberId, Instant start, Instant end) {
        DutyCheck res = ftlClient.getForObject(
                "http://ftl-calculator.ops.svc.cluster.local/v1/check?crew={id}&from={from}&to={to}",
                DutyCheck.class, crewMemberId, start, end);
        return res != null && res.allowed();
    }

    @PostMapping("/swaps")
    public Map<String, String> offerSwap(@RequestBody SwapRequest swap) {
        String token = UUID.randomUUID().toString();
        pendingSwaps.put(token, swap);
        return Map.of("token", token);
    }

    @PostMapping("/swaps/{token}/accept")
    @Transactional
    public ResponseEntity<?> acceptSwap(@PathVariable String token, @RequestParam long acceptingCrewId) {
        SwapRequest swap = pendingSwaps.remove(token);
        if (swap == null) {
            return ResponseEntity.notFound().build();
        }
        int moved = jdbc.update(
                "UPDATE crew_assignments SET crew_member_id = ? WHERE id = ? AND crew_member_id = ?",
                acceptingCrewId, swap.assignmentId(), swap.offeringCrewId());
        if (moved == 0) {
            return ResponseEntity.status(409).body(Map.of("error", "assignment changed since the offer"));
        }
        return ResponseEntity.ok(Map.of("assignmentId", swap.assignmentId()));
    }

    record DutyCheck(boolean allowed, String reason) {}
}
