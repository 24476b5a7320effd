package health.audiora.fittings.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Receives reschedule/cancel events from the calendar sync provider when a patient
 * moves their hearing-aid fitting from the emailed link. Each clinic is a tenant and
 * has its own provider account; the provider retries deliveries for up to 24 hours.
 */
@RestController
public class CalendarSyncWebhookController {

    private static final Logger log = LoggerFactory.getLogger(CalendarSyncWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final byte[] signingSecret;

    public CalendarSyncWebhookController(JdbcTemplate jdbc, ObjectMapper json,
                                         @Value("${calsync.signing-secret}") String secret) {
        this.jdbc = jdbc;
        this.json = json;
        this.signingSecret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping("/webhooks/calsync/{clinicId}")
    @Transactional
    public ResponseEntity<Void> onCalendarEvent(@PathVariable long clinicId,
                                                @RequestHeader("X-CalSync-Signature") String signature,
                                                @RequestBody String payload) throws Exception {
        if (!validSignature(payload, signature)) {
            return ResponseEntity.status(401).build();
        }
        JsonNode event = json.readTree(payload);
        String eventId = event.path("id").asText();

        // Deliveries are at-least-once: record the event id first and stop if we have seen it.
        int fresh = jdbc.update(
                "INSERT INTO processed_calendar_events (clinic_id, event_id, received_at) VALUES (?, ?, now()) "
                        + "ON CONFLICT (clinic_id, event_id) DO NOTHING",
                clinicId, eventId);
        if (fresh == 0) {
            return ResponseEntity.ok().build();
        }

        String bookingRef = event.path("booking").path("reference").asText();
        try {
            switch (event.path("type").asText()) {
                case "booking.rescheduled" -> jdbc.update(
                        "UPDATE fittings SET starts_at = ?, updated_at = now() WHERE clinic_id = ? AND external_ref = ?",
                        Timestamp.from(java.time.Instant.parse(event.path("booking").path("start").asText())),
                        clinicId, bookingRef);
                case "booking.cancelled" -> jdbc.update(
                        "UPDATE fittings SET status = 'CANCELLED', updated_at = now() WHERE clinic_id = ? AND external_ref = ?",
                        clinicId, bookingRef);
                default -> log.debug("ignoring calendar event type {}", event.path("type").asText());
            }
        } catch (DataAccessException e) {
            // rolls back the dedupe row too, so the provider's retry will be processed
            log.error("failed to apply calendar event {} for clinic {}", eventId, clinicId, e);
            throw e;
        }
        return ResponseEntity.ok().build();
    }

    /** Dedupe rows only need to outlive the provider's 24 h retry window. */
    @Scheduled(cron = "0 15 3 * * *")
    public void purgeOldEventIds() {
        int removed = jdbc.update(
                "DELETE FROM processed_calendar_events WHERE received_at < now() - interval '7 days'");
        log.info("purged {} processed calendar event ids", removed);
    }

    private boolean validSignature(String payload, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
        byte[] expected = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        byte[] given = HexFormat.of().parseHex(signature.trim());
        return MessageDigest.isEqual(expected, given);
    }
}
