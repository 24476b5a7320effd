package coop.spokesandsprockets.parts;

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
 * Receives shipment updates from the parts wholesaler for the cycle repair co-op's
 * orders (chains, brake blocks, inner tubes). The wholesaler retries deliveries
 * until it gets a 2xx, so the same event can arrive more than once.
 */
@RestController
public class CycleCoopSupplierWebhookController {

    private static final Logger log = LoggerFactory.getLogger(CycleCoopSupplierWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper = new ObjectMapper();
    private final byte[] signingSecret;

    public CycleCoopSupplierWebhookController(JdbcTemplate jdbc,
                                              @Value("${wholesaler.webhook-secret}") String secret) {
        this.jdbc = jdbc;
        this.signingSecret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping("/webhooks/wholesaler")
    @Transactional
    public ResponseEntity<Void> onShipmentEvent(@RequestHeader("X-Wholesaler-Signature") String signature,
                                                @RequestBody String body) throws Exception {
        if (!validSignature(body, signature)) {
            log.warn("wholesaler webhook with bad signature rejected");
            return ResponseEntity.status(401).build();
        }

        JsonNode event = mapper.readTree(body);
        String eventId = event.path("id").asText();
        String orderRef = event.path("order_reference").asText();
        String status = event.path("status").asText();

        // The primary key on event_id makes redeliveries a no-op.
        int fresh = jdbc.update(
                "INSERT INTO wholesaler_events (event_id, order_reference, status, received_at) "
                        + "VALUES (?, ?, ?, now()) ON CONFLICT (event_id) DO NOTHING",
                eventId, orderRef, status);
        if (fresh == 0) {
            log.info("duplicate wholesaler event {} ignored", eventId);
            return ResponseEntity.ok().build();
        }

        switch (status) {
            case "DISPATCHED" -> jdbc.update(
                    "UPDATE parts_orders SET status = 'DISPATCHED', tracking_number = ? WHERE reference = ? AND status = 'PLACED'",
                    event.path("tracking_number").asText(), orderRef);
            case "DELIVERED" -> jdbc.update(
                    "UPDATE parts_orders SET status = 'DELIVERED', delivered_at = now() WHERE reference = ? AND status <> 'DELIVERED'",
                    orderRef);
            case "BACKORDERED" -> jdbc.update(
                    "UPDATE parts_orders SET status = 'BACKORDERED', expected_on = ?::date WHERE reference = ?",
                    event.path("expected_on").asText(), orderRef);
            default -> log.info("wholesaler event {} has status {}, nothing to do", eventId, status);
        }
        return ResponseEntity.ok().build();
    }

    private boolean validSignature(String body, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
        byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            log.warn("malformed wholesaler signature header", e);
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    // The wholesaler stops retrying after 72 hours, so older dedup rows can go.
    @Scheduled(cron = "0 15 3 * * *")
    public void purgeOldEvents() {
        int removed = jdbc.update("DELETE FROM wholesaler_events WHERE received_at < now() - interval '30 days'");
        log.info("purged {} old wholesaler events", removed);
    }
}
