package org.parishnews.adverts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.parishnews.adverts.payments.WebhookSignature;

/**
 * Direct-debit provider callbacks for parish magazine advert bookings (quarter,
 * half and full page ads, billed per issue). The provider delivers at least
 * once and retries on any non-2xx, so each event id is recorded before we act.
 */
@RestController
@RequestMapping("/webhooks/direct-debit")
public class AdvertPaymentWebhookController {

    private static final Logger log = LoggerFactory.getLogger(AdvertPaymentWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final WebhookSignature signature;

    public AdvertPaymentWebhookController(JdbcTemplate jdbc, ObjectMapper mapper, WebhookSignature signature) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.signature = signature;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Void> receive(@RequestHeader("Webhook-Signature") String sig, @RequestBody String body) throws IOException {
        if (!signature.matches(body, sig)) {
            return ResponseEntity.status(401).build();
        }
        JsonNode event = mapper.readTree(body);
        String eventId = event.path("id").asText();

        // Same transaction as the effects below: if they fail, the event row rolls back too
        // and the provider's retry is processed normally.
        int firstDelivery = jdbc.update(
                "INSERT INTO processed_webhook_events (provider, event_id, received_at) VALUES ('directdebit', ?, now()) "
                        + "ON CONFLICT (provider, event_id) DO NOTHING",
                eventId);
        if (firstDelivery == 0) {
            log.debug("duplicate delivery of event {}, ignoring", eventId);
            return ResponseEntity.ok().build();
        }

        long parishId = event.path("links").path("parish_id").asLong();
        long bookingId = event.path("links").path("advert_booking_id").asLong();
        String action = event.path("action").asText();

        try {
            switch (action) {
                case "confirmed" -> jdbc.update(
                        "UPDATE advert_bookings SET status = 'PAID', paid_at = now() WHERE id = ? AND parish_id = ?",
                        bookingId, parishId);
                case "failed" -> jdbc.update(
                        "UPDATE advert_bookings SET status = 'PAYMENT_FAILED' WHERE id = ? AND parish_id = ?",
                        bookingId, parishId);
                case "cancelled" -> jdbc.update(
                        "UPDATE advert_bookings SET status = 'CANCELLED', cancelled_at = now() WHERE id = ? AND parish_id = ?",
                        bookingId, parishId);
                default -> log.info("ignoring direct-debit action {} for event {}", action, eventId);
            }
        } catch (DataAccessException e) {
            log.error("could not apply direct-debit event {} to advert booking {}", eventId, bookingId, e);
            throw e;
        }
        return ResponseEntity.ok().build();
    }

    /** The provider stops retrying after 7 days; keep a month of event ids to be safe. */
    @Scheduled(cron = "0 30 3 * * *")
    public void purgeOldEventIds() {
        int removed = jdbc.update(
                "DELETE FROM processed_webhook_events WHERE received_at < now() - interval '30 days'");
        log.info("purged {} processed webhook event ids", removed);
    }
}
