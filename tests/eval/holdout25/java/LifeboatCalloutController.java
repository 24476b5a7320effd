package org.rnli.station.callout;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

/**
 * Crew members acknowledge a pager call-out from the station app.
 * Each launch has a fixed number of seats on the boat (helm + crew); the
 * first volunteers to acknowledge get a seat, the rest go to shore crew.
 */
@RestController
@RequestMapping("/api/callouts")
public class LifeboatCalloutController {

    private final JdbcTemplate jdbc;
    private final RestTemplate pager = new RestTemplate();

    private static final String PAGER_URL = "https://pager-gateway.internal/v2/notify";

    public LifeboatCalloutController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record AckRequest(long crewMemberId, String role) {}

    @PostMapping("/{calloutId}/ack")
    @Transactional
    public ResponseEntity<Map<String, Object>> acknowledge(@PathVariable long calloutId,
                                                           @RequestBody AckRequest req) {
        Map<String, Object> callout = jdbc.queryForMap(
                "SELECT id, boat_class, boat_seats, status FROM callouts WHERE id = ?", calloutId);

        if (!"OPEN".equals(callout.get("status"))) {
            return ResponseEntity.status(HttpStatus.GONE).body(Map.of("error", "callout closed"));
        }

        Integer onBoard = jdbc.queryForObject("SELECT COUNT(*) FROM callout_crew "
                + "WHERE callout_id = ? AND assignment = 'BOAT'", Integer.class, calloutId);
        int seats = ((Number) callout.get("boat_seats")).intValue();

        String assignment = onBoard < seats ? "BOAT" : "SHORE";

        jdbc.update("INSERT INTO callout_crew (callout_id, crew_member_id, role, assignment, acked_at) "
                        + "VALUES (?, ?, ?, ?, ?)",
                calloutId, req.crewMemberId(), req.role(), assignment, Instant.now());

        if ("BOAT".equals(assignment) && onBoard + 1 == seats) {
            // Boat is full: tell everyone still en route to report to the shore crew instead.
            List<Long> pending = jdbc.queryForList(
                    "SELECT crew_member_id FROM callout_pages WHERE callout_id = ? AND acked = false",
                    Long.class, calloutId);
            pager.postForEntity(PAGER_URL,
                    Map.of("recipients", pending,
                           "message", "Boat crewed - report to shore crew",
                           "boat", callout.get("boat_class")),
                    Void.class);
        }

        return ResponseEntity.ok(Map.of(
                "calloutId", calloutId,
                "assignment", assignment));
    }

    @GetMapping("/{calloutId}/crew")
    public List<Map<String, Object>> crew(@PathVariable long calloutId) {
        return jdbc.queryForList(
                "SELECT crew_member_id, role, assignment, acked_at FROM callout_crew "
                        + "WHERE callout_id = ? ORDER BY acked_at LIMIT 40", calloutId);
    }
}
