package org.guildofringers.practice.web;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Practice-night rope holds for a tower.
 *
 * Each practice has a fixed number of ropes (6, 8 or 10 depending on the ring). A ringer
 * "holds" a rope for 15 minutes while the tower captain confirms the band for the evening.
 */
@RestController
@RequestMapping("/api/towers/{towerId}/practices/{practiceDate}")
public class BellTowerPracticeSlotController {

    private static final Logger log = LoggerFactory.getLogger(BellTowerPracticeSlotController.class);
    private static final long HOLD_MINUTES = 15;

    private final JdbcTemplate jdbc;
    private final RestTemplate captainNotifier = new RestTemplate();
    private final String captainWebhookUrl;

    public BellTowerPracticeSlotController(JdbcTemplate jdbc,
                                           @Value("${ringing.captain-webhook-url}") String captainWebhookUrl) {
        this.jdbc = jdbc;
        this.captainWebhookUrl = captainWebhookUrl;
    }

    public record HoldRequest(long ringerId, String preferredBell) {}

    @GetMapping("/ropes")
    public Map<String, Object> ropesLeft(@PathVariable long towerId,
                                         @PathVariable LocalDate practiceDate) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT p.rope_count, "
                        + "(SELECT COUNT(*) FROM rope_holds h WHERE h.practice_id = p.id AND h.held_until > now()) AS active_holds "
                        + "FROM practices p WHERE p.tower_id = ? AND p.practice_date = ?",
                towerId, practiceDate);
        int ropes = ((Number) row.get("rope_count")).intValue();
        int active = ((Number) row.get("active_holds")).intValue();
        return Map.of("ropes", ropes, "held", active, "available", Math.max(0, ropes - active));
    }

    @PostMapping("/holds")
    @Transactional
    public ResponseEntity<Map<String, Object>> holdRope(@PathVariable long towerId,
                                                        @PathVariable LocalDate practiceDate,
                                                        @RequestBody HoldRequest req) {
        Map<String, Object> practice = jdbc.queryForMap(
                "SELECT id, rope_count FROM practices WHERE tower_id = ? AND practice_date = ?",
                towerId, practiceDate);
        long practiceId = ((Number) practice.get("id")).longValue();
        int ropeCount = ((Number) practice.get("rope_count")).intValue();

        Integer activeHolds = jdbc.queryForObject(
                "SELECT COUNT(*) FROM rope_holds WHERE practice_id = ? AND held_until > now()",
                Integer.class, practiceId);

        if (activeHolds != null && activeHolds >= ropeCount) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "All ropes are taken for this practice"));
        }

        Instant heldUntil = Instant.now().plus(HOLD_MINUTES, ChronoUnit.MINUTES);
        jdbc.update(
                "INSERT INTO rope_holds (practice_id, ringer_id, preferred_bell, held_until) VALUES (?, ?, ?, ?)",
                practiceId, req.ringerId(), req.preferredBell(), Timestamp.from(heldUntil));

        notifyCaptain(towerId, practiceDate, req);

        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of("practiceId", practiceId, "heldUntil", heldUntil.toString()));
    }

    private void notifyCaptain(long towerId, LocalDate practiceDate, HoldRequest req) {
        Map<String, Object> payload = Map.of(
                "tower", towerId,
                "date", practiceDate.toString(),
                "ringer", req.ringerId(),
                "bell", req.preferredBell() == null ? "any" : req.preferredBell());
        try {
            captainNotifier.postForEntity(captainWebhookUrl, payload, Void.class);
        } catch (RestClientException e) {
            // The hold stands even if the captain's inbox is down; they also see it on the rota page.
            log.warn("Could not notify captain for tower {} on {}", towerId, practiceDate, e);
        }
    }
}
