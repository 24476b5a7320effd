package uk.co.flyballfields.trials.payments;

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
 * Payment notifications for dog agility trial entries (Kennel Club licensed shows).
 * The payment provider redelivers an event until it gets a 2xx, sometimes twice in
 * the same second, so every event id is recorded before anything else happens.
 */
@RestController
@RequestMapping("/webhooks/payments")
public class AgilityEntryWebhookController {

    private static final Logger log = LoggerFactory.getLogger(AgilityEntryWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final byte[] secret;

    public AgilityEntryWebhookController(JdbcTemplate jdbc, ObjectMapper json,
                                         @Value("${payments.webhook-secret}") String secret) {
        this.jdbc = jdbc;
        this.json = json;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping
    @Transactional
    public ResponseEntity<String> handle(@RequestHeader("Payment-Signature") String signature,
                                         @RequestBody String body) throws Exception {
        if (!validSignature(signature, body)) {
            log.warn("rejected payment webhook with bad signature");
            return ResponseEntity.status(401).body("bad signature");
        }

        JsonNode event = json.readTree(body);
        String eventId = event.path("id").asText();
        String type = event.path("type").asText();

        // primary key on event_id: a redelivery inserts nothing
        int fresh = jdbc.update(
            "INSERT INTO payment_webhook_events (event_id, event_type, received_at) VALUES (?, ?, now()) " +
            "ON CONFLICT (event_id) DO NOTHING",
            eventId, type);
        if (fresh == 0) {
            log.info("payment event {} already processed", eventId);
            return ResponseEntity.ok("duplicate");
        }

        if ("payment.succeeded".equals(type)) {
            long entryId = event.path("data").path("metadata").path("entry_id").asLong();
            long pence = event.path("data").path("amount").asLong();
            int updated = jdbc.update(
                "UPDATE trial_entries SET status = 'PAID', paid_pence = ?, paid_at = now() " +
                "WHERE id = ? AND status = 'PENDING_PAYMENT'",
                pence, entryId);
            if (updated == 0) {
                log.warn("payment {} for entry {} did not match a pending entry", eventId, entryId);
            }
        } else if ("payment.refunded".equals(type)) {
            long entryId = event.path("data").path("metadata").path("entry_id").asLong();
            jdbc.update("UPDATE trial_entries SET status = 'WITHDRAWN' WHERE id = ? AND status = 'PAID'", entryId);
        }
        return ResponseEntity.ok("processed");
    }

    /** The provider stops redelivering after 72 hours; keep ids for a month, then drop them. */
    @Scheduled(cron = "0 30 3 * * *")
    public void pruneOldEvents() {
        int gone = jdbc.update(
            "DELETE FROM payment_webhook_events WHERE received_at < now() - interval '30 days'");
        log.info("pruned {} old payment webhook events", gone);
    }

    private boolean validSignature(String signature, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        try {
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature));
        } catch (IllegalArgumentException e) {
            log.warn("payment signature header is not hex: {}", e.getMessage());
            return false;
        }
    }
}
