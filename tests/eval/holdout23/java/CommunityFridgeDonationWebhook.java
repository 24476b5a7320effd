package org.fridgenetwork.donations;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Receives "pledge.created" events from the GiveLocal donation platform when
 * someone pledges food for one of the network's community fridges.
 *
 * GiveLocal retries a delivery until it gets a 2xx, sometimes several times,
 * so the event id is recorded first and a repeat delivery is acknowledged
 * without touching the fridge totals again.
 */
@RestController
@RequestMapping("/webhooks/givelocal")
public class CommunityFridgeDonationWebhook {

    private static final Logger log = LoggerFactory.getLogger(CommunityFridgeDonationWebhook.class);

    private final JdbcTemplate jdbc;
    private final GiveLocalSignature signature;

    public CommunityFridgeDonationWebhook(JdbcTemplate jdbc, GiveLocalSignature signature) {
        this.jdbc = jdbc;
        this.signature = signature;
    }

    @PostMapping("/pledges")
    @Transactional
    public ResponseEntity<Map<String, String>> onPledge(@RequestHeader("GiveLocal-Signature") String sig,
                                                        @RequestBody String rawBody) {
        PledgeEvent event = signature.verifyAndParse(rawBody, sig, PledgeEvent.class);
        if (event == null) {
            return ResponseEntity.status(400).body(Map.of("error", "bad signature"));
        }

        // processed_webhook_events has PRIMARY KEY (provider, event_id)
        int fresh = jdbc.update(
                "INSERT INTO processed_webhook_events (provider, event_id, received_at) "
                        + "VALUES ('givelocal', ?, now()) ON CONFLICT DO NOTHING",
                event.id());
        if (fresh == 0) {
            log.info("duplicate GiveLocal delivery {} ignored", event.id());
            return ResponseEntity.ok(Map.of("status", "duplicate"));
        }

        jdbc.update(
                "INSERT INTO pledges (fridge_id, donor_ref, category, portions, drop_off_window, event_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                event.fridgeId(), event.donorRef(), event.category(), event.portions(),
                event.dropOffWindow(), event.id());

        // Increment in SQL so concurrent pledges for the same fridge both count.
        jdbc.update("UPDATE fridges SET portions_pledged = portions_pledged + ? WHERE id = ?",
                event.portions(), event.fridgeId());

        // Volunteers are notified by the outbox worker after this transaction commits.
        jdbc.update(
                "INSERT INTO notification_outbox (topic, payload) VALUES ('fridge.pledge', ?::jsonb)",
                "{\"fridgeId\":" + event.fridgeId() + ",\"portions\":" + event.portions() + "}");

        return ResponseEntity.ok(Map.of("status", "recorded"));
    }

    public record PledgeEvent(String id, String type, long fridgeId, String donorRef,
                              String category, int portions, String dropOffWindow) {}
}
