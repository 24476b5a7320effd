package org.dswa.apprenticeships.web;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Placement endpoints for the Drystone Walling Association apprenticeship scheme.
 *
 * Each master waller offers a fixed number of apprentice places per season
 * (waller_seasons.places). An apprentice asks for a place with a specific waller,
 * and the waller gets an email from the association mailer service.
 */
@RestController
@RequestMapping("/api/placements")
public class ApprenticeshipPlacementController {

    private static final Logger log = LoggerFactory.getLogger(ApprenticeshipPlacementController.class);

    private final JdbcTemplate jdbc;
    private final RestTemplate mailer = new RestTemplate();
    private final String mailerBaseUrl;

    public ApprenticeshipPlacementController(JdbcTemplate jdbc,
                                             @Value("${dswa.mailer.base-url}") String mailerBaseUrl) {
        this.jdbc = jdbc;
        this.mailerBaseUrl = mailerBaseUrl;
    }

    public record PlacementRequest(long apprenticeId, long wallerId, String season) {}

    public record PlacementRow(long id, long apprenticeId, String apprenticeName, String status) {}

    @PostMapping
    @Transactional
    public ResponseEntity<Map<String, Object>> requestPlacement(@RequestBody PlacementRequest req) {
        Integer places = jdbc.queryForObject(
                "SELECT places FROM waller_seasons WHERE waller_id = ? AND season = ?",
                Integer.class, req.wallerId(), req.season());
        Integer confirmed = jdbc.queryForObject(
                "SELECT COUNT(*) FROM placements WHERE waller_id = ? AND season = ? AND status = 'CONFIRMED'",
                Integer.class, req.wallerId(), req.season());

        if (places == null || confirmed == null || confirmed >= places) {
            return ResponseEntity.status(409)
                    .body(Map.of("error", "This waller has no apprentice places left for " + req.season()));
        }

        jdbc.update(
                "INSERT INTO placements (apprentice_id, waller_id, season, status, created_at) "
                        + "VALUES (?, ?, ?, 'CONFIRMED', now())",
                req.apprenticeId(), req.wallerId(), req.season());

        notifyWaller(req);
        return ResponseEntity.status(201).body(Map.of("status", "CONFIRMED", "placesLeft", places - confirmed - 1));
    }

    @GetMapping("/wallers/{wallerId}")
    public List<PlacementRow> placementsForWaller(@PathVariable long wallerId,
                                                  @RequestParam String season) {
        // A waller takes at most a handful of apprentices a season, so a small cap is plenty.
        return jdbc.query(
                "SELECT p.id, p.apprentice_id, a.full_name, p.status FROM placements p "
                        + "JOIN apprentices a ON a.id = p.apprentice_id "
                        + "WHERE p.waller_id = ? AND p.season = ? ORDER BY p.created_at LIMIT 25",
                (rs, i) -> new PlacementRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)),
                wallerId, season);
    }

    private void notifyWaller(PlacementRequest req) {
        Map<String, Object> message = Map.of(
                "template", "placement-confirmed",
                "wallerId", req.wallerId(),
                "apprenticeId", req.apprenticeId(),
                "season", req.season());

        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                mailer.postForEntity(mailerBaseUrl + "/v1/messages", message, Void.class);
                return;
            } catch (RestClientException e) {
                log.warn("Mailer attempt {} for waller {} failed: {}", attempt, req.wallerId(), e.getMessage());
            }
        }
        log.error("Could not notify waller {} about apprentice {} after 5 attempts",
                req.wallerId(), req.apprenticeId());
    }
}
