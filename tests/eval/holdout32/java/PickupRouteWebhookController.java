package org.hospiceshops.pickups.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Furniture donation pickups for the hospice's 30 charity shops. The van routing
 * service (RoundRoute) calls us when a driver marks a pickup collected or missed.
 */
@RestController
public class PickupRouteWebhookController {

    private static final Logger log = LoggerFactory.getLogger(PickupRouteWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final byte[] secret;

    public PickupRouteWebhookController(JdbcTemplate jdbc, ObjectMapper json,
                                        @Value("${roundroute.signing-secret}") String secret) {
        this.jdbc = jdbc;
        this.json = json;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public record PickupRow(long id, String donorPostcode, String items, String status, OffsetDateTime slotStart) {}

    @PostMapping("/webhooks/roundroute")
    @Transactional
    public ResponseEntity<Void> onRouteEvent(@RequestHeader("X-RoundRoute-Signature") String signature,
                                             @RequestBody String payload) throws Exception {
        if (!signatureMatches(payload, signature)) {
            return ResponseEntity.status(401).build();
        }
        JsonNode event = json.readTree(payload);
        String eventId = event.path("id").asText();

        // processed_webhooks has a primary key on (provider, event_id); a redelivery inserts nothing.
        int fresh = jdbc.update("""
                INSERT INTO processed_webhooks (provider, event_id, received_at)
                VALUES ('roundroute', ?, now())
                ON CONFLICT (provider, event_id) DO NOTHING
                """, eventId);
        if (fresh == 0) {
            log.info("Duplicate RoundRoute event {} ignored", eventId);
            return ResponseEntity.ok().build();
        }

        JsonNode stop = event.path("data");
        String newStatus = switch (event.path("type").asText()) {
            case "stop.completed" -> "COLLECTED";
            case "stop.missed" -> "MISSED";
            default -> null;
        };
        if (newStatus != null) {
            jdbc.update("""
                    UPDATE pickups SET status = ?, status_changed_at = now()
                     WHERE id = ? AND shop_id = ? AND status = 'SCHEDULED'
                    """, newStatus, stop.path("external_ref").asLong(), stop.path("shop_ref").asLong());
        }
        return ResponseEntity.ok().build();
    }

    @GetMapping("/api/shops/{shopId}/pickups")
    @PreAuthorize("@shopAccess.isStaff(authentication, #shopId)")
    public List<PickupRow> pickups(@PathVariable long shopId,
                                   @RequestParam(defaultValue = "0") int page,
                                   @RequestParam(defaultValue = "25") int size) {
        int limit = Math.min(Math.max(size, 1), 100);
        return jdbc.query("""
                SELECT id, donor_postcode, items_summary, status, slot_start
                  FROM pickups
                 WHERE shop_id = ?
                 ORDER BY slot_start DESC, id DESC
                 LIMIT ? OFFSET ?
                """,
                (rs, i) -> new PickupRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class)),
                shopId, limit, Math.max(page, 0) * limit);
    }

    /** RoundRoute only redelivers for 72 hours, so older dedup rows can go. */
    @Scheduled(cron = "0 15 3 * * *")
    public void pruneProcessedWebhooks() {
        int removed = jdbc.update(
                "DELETE FROM processed_webhooks WHERE received_at < now() - interval '14 days'");
        log.info("Pruned {} processed webhook rows", removed);
    }

    private boolean signatureMatches(String payload, String header) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        byte[] expected = HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
    }
}
