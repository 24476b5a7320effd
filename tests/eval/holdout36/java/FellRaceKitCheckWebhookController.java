package org.fellrunners.kitcheck;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * The timing-chip provider calls us when a runner is scanned at the kit-check
 * tent (waterproof jacket and trousers, map, compass, whistle, emergency food).
 * Deliveries are at-least-once, so each event id is recorded before it is applied.
 */
@RestController
@RequestMapping("/webhooks/kit-check")
class FellRaceKitCheckWebhookController {

    private final KitCheckEventService events;
    private final ObjectMapper mapper;
    private final byte[] secret;

    FellRaceKitCheckWebhookController(KitCheckEventService events, ObjectMapper mapper,
                                      @Value("${timing.webhook-secret}") String secret) {
        this.events = events;
        this.mapper = mapper;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping
    public ResponseEntity<Void> receive(@RequestHeader("X-Timing-Signature") String signature,
                                        @RequestBody String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII))) {
            return ResponseEntity.status(401).build();
        }

        KitCheckEvent event = mapper.readValue(body, KitCheckEvent.class);
        events.apply(event);
        // 200 for both first delivery and redeliveries, so the provider stops retrying.
        return ResponseEntity.ok().build();
    }
}

@Service
class KitCheckEventService {

    private final JdbcTemplate jdbc;

    KitCheckEventService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void apply(KitCheckEvent event) {
        int inserted = jdbc.update(
                "INSERT INTO processed_timing_events (event_id, received_at) VALUES (?, now()) "
                        + "ON CONFLICT (event_id) DO NOTHING",
                event.eventId());
        if (inserted == 0) {
            return; // already applied on an earlier delivery
        }

        jdbc.update(
                "UPDATE race_entries SET kit_checked_at = ?, kit_marshal = ?, kit_passed = ? "
                        + "WHERE race_id = ? AND bib_number = ?",
                event.scannedAt(), event.marshal(), event.passed(), event.raceId(), event.bib());

        jdbc.update(
                "INSERT INTO kit_check_scans (event_id, race_id, bib_number, passed, missing_items, scanned_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                event.eventId(), event.raceId(), event.bib(), event.passed(),
                String.join(",", event.missingItems()), event.scannedAt());
    }
}

record KitCheckEvent(String eventId, long raceId, int bib, boolean passed,
                     java.util.List<String> missingItems, String marshal, OffsetDateTime scannedAt) {}
