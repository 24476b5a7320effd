package org.beekeepers.swarms.web;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

import org.beekeepers.swarms.reports.SeasonReportRenderer;

/**
 * Swarm collection callouts. A member of the public reports a swarm, the nearest
 * collectors get a push notification and the first one to tap "I'll go" claims it.
 *
 * Deployed on the association's k8s cluster as swarm-api (replicas: 3).
 */
@RestController
@RequestMapping("/api")
public class SwarmCalloutController {

    /** calloutId -> collector who is on the way. */
    private final Map<Long, Long> collectorOnTheWay = new ConcurrentHashMap<>();

    private final SeasonReportRenderer seasonReport;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;

    public SwarmCalloutController(SeasonReportRenderer seasonReport,
                                  @Value("${swarms.db.url}") String dbUrl,
                                  @Value("${swarms.db.user}") String dbUser,
                                  @Value("${swarms.db.password}") String dbPassword) {
        this.seasonReport = seasonReport;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    public record ClaimRequest(long collectorId) {}

    @PostMapping("/callouts/{calloutId}/claim")
    public ResponseEntity<?> claim(@PathVariable long calloutId, @RequestBody ClaimRequest req) throws SQLException {
        Long existing = collectorOnTheWay.putIfAbsent(calloutId, req.collectorId());
        if (existing != null && existing != req.collectorId()) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "Another collector is already on the way"));
        }

        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             PreparedStatement ps = conn.prepareStatement(
                     "UPDATE swarm_callouts SET collector_id = ?, status = 'CLAIMED', claimed_at = now() " +
                     "WHERE id = ?")) {
            ps.setLong(1, req.collectorId());
            ps.setLong(2, calloutId);
            ps.executeUpdate();
        }
        return ResponseEntity.ok(Map.of("calloutId", calloutId, "collectorId", req.collectorId()));
    }

    @PostMapping("/callouts/{calloutId}/close")
    public ResponseEntity<Void> close(@PathVariable long calloutId) {
        // The swarm has been hived (or was bumblebees); free the slot in the claim map.
        collectorOnTheWay.remove(calloutId);
        return ResponseEntity.noContent().build();
    }

    /**
     * End-of-season report for the association AGM: one page per callout with the
     * static map, photos and the collector's notes (1,500+ callouts in a busy year).
     */
    @GetMapping("/seasons/{year}/report.pdf")
    public ResponseEntity<byte[]> seasonReportPdf(@PathVariable int year) {
        byte[] pdf = seasonReport.renderAllCallouts(year);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=swarms-" + year + ".pdf")
                .body(pdf);
    }
}
