package org.communityfridge.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

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
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * The food-sharing app calls this when a donor logs a drop-off at one of the network's
 * community fridges. The app redelivers on any non-2xx and sometimes twice on success,
 * so each event id is recorded in webhook_events (PRIMARY KEY (provider, event_id)).
 */
@RestController
@RequestMapping("/webhooks/foodshare")
public class FridgeDropOffWebhookController {

    private static final Logger log = LoggerFactory.getLogger(FridgeDropOffWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final byte[] secret;

    public FridgeDropOffWebhookController(JdbcTemplate jdbc, ObjectMapper mapper,
                                          @Value("${foodshare.webhook-secret}") String secret) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping("/drop-off")
    @Transactional
    public ResponseEntity<Void> dropOff(@RequestHeader("X-Foodshare-Signature") String signature,
                                        @RequestBody String body) throws Exception {
        if (!signatureMatches(body, signature)) {
            return ResponseEntity.status(401).build();
        }

        JsonNode event = mapper.readTree(body);
        String eventId = event.path("id").asText();

        int fresh = jdbc.update(
                "INSERT INTO webhook_events (provider, event_id, received_at) VALUES ('foodshare', ?, now()) " +
                "ON CONFLICT (provider, event_id) DO NOTHING", eventId);
        if (fresh == 0) {
            log.debug("Drop-off event {} already applied", eventId);
            return ResponseEntity.ok().build();
        }

        JsonNode d = event.path("data");
        long networkId = d.path("network_id").asLong();
        long fridgeId = d.path("fridge_id").asLong();
        int portions = d.path("portions").asInt();

        jdbc.update(
                "INSERT INTO donations (network_id, fridge_id, event_id, category, portions, donor_ref) " +
                "VALUES (?, ?, ?, ?, ?, ?)",
                networkId, fridgeId, eventId, d.path("category").asText(), portions, d.path("donor_ref").asText());

        int updated = jdbc.update(
                "UPDATE fridges SET portions_available = portions_available + ?, last_restocked_at = now() " +
                "WHERE id = ? AND network_id = ?", portions, fridgeId, networkId);
        if (updated == 0) {
            // Unknown fridge: roll back the event row too so a corrected redelivery is applied.
            throw new IllegalArgumentException("Unknown fridge " + fridgeId + " in network " + networkId);
        }
        return ResponseEntity.ok().build();
    }

    /** Redeliveries stop after 3 days; keep a month of event ids and drop the rest. */
    @Scheduled(cron = "0 30 3 * * *")
    public void purgeOldEventIds() {
        int removed = jdbc.update(
                "DELETE FROM webhook_events WHERE provider = 'foodshare' AND received_at < now() - interval '30 days'");
        log.info("Purged {} old foodshare webhook event ids", removed);
    }

    private boolean signatureMatches(String body, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                                     signature.getBytes(StandardCharsets.UTF_8));
    }
}
