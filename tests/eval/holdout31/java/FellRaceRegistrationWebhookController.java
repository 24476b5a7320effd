package uk.fellrunning.entries.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Payment-provider callback for fell-race entries (Borrowdale, Ennerdale Horseshoe, ...).
 * The provider retries a delivery until it gets a 2xx, and sometimes delivers the same
 * event twice anyway, so every event id is recorded in processed_payment_events
 * (PRIMARY KEY event_id) in the same transaction as the entry it creates.
 */
@RestController
@RequestMapping("/webhooks/payments")
public class FellRaceRegistrationWebhookController {

    private static final Logger log = LoggerFactory.getLogger(FellRaceRegistrationWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final WebhookSignatureVerifier verifier;
    private final EntryConfirmationOutbox outbox;

    public FellRaceRegistrationWebhookController(JdbcTemplate jdbc, ObjectMapper mapper,
                                                 WebhookSignatureVerifier verifier,
                                                 EntryConfirmationOutbox outbox) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.verifier = verifier;
        this.outbox = outbox;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Void> paymentSucceeded(@RequestHeader("Payment-Signature") String signature,
                                                 @RequestBody String payload) throws Exception {
        verifier.verifyOrThrow(payload, signature);
        JsonNode event = mapper.readTree(payload);
        String eventId = event.path("id").asText();

        int fresh = jdbc.update(
                "INSERT INTO processed_payment_events (event_id, received_at) VALUES (?, now()) "
                        + "ON CONFLICT (event_id) DO NOTHING", eventId);
        if (fresh == 0) {
            log.info("Payment event {} already processed, acknowledging", eventId);
            return ResponseEntity.ok().build();
        }

        JsonNode meta = event.path("data").path("metadata");
        long raceId = meta.path("race_id").asLong();
        long runnerId = meta.path("runner_id").asLong();

        try {
            int placeTaken = jdbc.update(
                    "UPDATE races SET entries_left = entries_left - 1 WHERE id = ? AND entries_left > 0", raceId);
            if (placeTaken == 0) {
                // Race filled between checkout and payment: record it for a refund instead of an entry.
                jdbc.update("INSERT INTO refunds_due (event_id, race_id, runner_id) VALUES (?, ?, ?)",
                        eventId, raceId, runnerId);
                return ResponseEntity.ok().build();
            }
            int entered = jdbc.update(
                    "INSERT INTO race_entries (race_id, runner_id, club, fra_number, payment_event_id) "
                            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (race_id, runner_id) DO NOTHING",
                    raceId, runnerId, meta.path("club").asText(null), meta.path("fra_number").asText(null), eventId);
            if (entered == 0) {
                // Runner paid twice for the same race: give the place back and refund this payment.
                jdbc.update("UPDATE races SET entries_left = entries_left + 1 WHERE id = ?", raceId);
                jdbc.update("INSERT INTO refunds_due (event_id, race_id, runner_id) VALUES (?, ?, ?)",
                        eventId, raceId, runnerId);
                return ResponseEntity.ok().build();
            }

            // Emails go out from the outbox poller after commit, never from inside this request.
            outbox.enqueue(jdbc, "entry-confirmation", runnerId, raceId);
        } catch (DataAccessException e) {
            log.error("Could not apply payment event {} for race {} runner {}", eventId, raceId, runnerId, e);
            throw e;
        }
        return ResponseEntity.ok().build();
    }
}
