package org.valebeekeepers.extraction.web;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.valebeekeepers.payments.WebhookSignature;

/**
 * Payment notifications for honey extraction room slots (the association's shared
 * extractor, uncapping tray and settling tanks). The provider delivers at least once and
 * may redeliver the same event, so each event id is recorded before anything else happens.
 */
@RestController
@RequestMapping("/webhooks/room-payments")
public class ExtractionRoomPaymentWebhook {

    private static final Logger log = LoggerFactory.getLogger(ExtractionRoomPaymentWebhook.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final WebhookSignature signature;

    public ExtractionRoomPaymentWebhook(JdbcTemplate jdbc, ObjectMapper mapper, WebhookSignature signature) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.signature = signature;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Map<String, String>> onEvent(@RequestHeader("X-Webhook-Signature") String sig,
                                                       @RequestBody String payload) throws Exception {
        if (!signature.verify(payload, sig)) {
            return ResponseEntity.status(401).body(Map.of("error", "bad signature"));
        }
        JsonNode event = mapper.readTree(payload);
        String eventId = event.path("id").asText();

        // The unique key on event_id makes a redelivery insert nothing; the whole handler
        // is one transaction, so a failure further down also un-records the event.
        int fresh = jdbc.update(
                "INSERT INTO processed_payment_events (event_id, event_type, received_at) VALUES (?, ?, now()) "
                        + "ON CONFLICT (event_id) DO NOTHING",
                eventId, event.path("type").asText());
        if (fresh == 0) {
            return ResponseEntity.ok(Map.of("status", "duplicate"));
        }

        if (!"payment.completed".equals(event.path("type").asText())) {
            return ResponseEntity.ok(Map.of("status", "ignored"));
        }

        long slotId = event.path("data").path("metadata").path("room_slot_id").asLong();

        // Lock the slot row so a concurrent cancellation from the admin page waits for us.
        String status = jdbc.queryForObject(
                "SELECT status FROM room_slots WHERE id = ? FOR UPDATE", String.class, slotId);

        if ("CANCELLED".equals(status)) {
            jdbc.update("INSERT INTO refund_requests (room_slot_id, payment_event_id, reason) VALUES (?, ?, 'slot cancelled')",
                    slotId, eventId);
            log.info("slot {} was cancelled before payment {} arrived; refund queued", slotId, eventId);
            return ResponseEntity.ok(Map.of("status", "refund-queued"));
        }

        jdbc.update("UPDATE room_slots SET status = 'PAID', paid_at = now(), payment_event_id = ? WHERE id = ?",
                eventId, slotId);
        jdbc.update("INSERT INTO slot_equipment_checklist (room_slot_id, item) "
                + "SELECT ?, item FROM extraction_room_equipment WHERE active", slotId);

        return ResponseEntity.ok(Map.of("status", "paid"));
    }
}
