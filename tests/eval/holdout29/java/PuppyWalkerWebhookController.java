package org.guidingpaws.placements.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * The volunteer portal calls this when a puppy walker signs the placement agreement for a
 * guide-dog puppy. The portal redelivers on any non-2xx and sometimes twice on success, so
 * every delivery is recorded by its event id before anything else happens. The actual work
 * (vet schedule, kit parcel, walker induction emails) runs in PlacementJobWorker.
 */
@RestController
@RequestMapping("/webhooks/volunteer-portal")
public class PuppyWalkerWebhookController {

    private static final Logger log = LoggerFactory.getLogger(PuppyWalkerWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final PortalSignature signature;

    public PuppyWalkerWebhookController(JdbcTemplate jdbc, ObjectMapper mapper, PortalSignature signature) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.signature = signature;
    }

    @PostMapping("/agreement-signed")
    @Transactional
    public ResponseEntity<Void> agreementSigned(@RequestHeader("X-Portal-Signature") String sig,
                                                @RequestBody String payload) throws Exception {
        if (!signature.verify(payload, sig)) {
            log.warn("rejected volunteer-portal delivery with bad signature");
            return ResponseEntity.status(401).build();
        }
        JsonNode event = mapper.readTree(payload);
        String eventId = event.path("id").asText();
        if (eventId.isBlank()) {
            return ResponseEntity.badRequest().build();
        }

        int inserted = jdbc.update(
            "INSERT INTO portal_events (event_id, type, received_at) VALUES (?, ?, now()) "
                + "ON CONFLICT (event_id) DO NOTHING",
            eventId, event.path("type").asText());
        if (inserted == 0) {
            log.info("duplicate delivery of portal event {}, already accepted", eventId);
            return ResponseEntity.accepted().build();
        }

        long puppyId = event.path("data").path("puppy_id").asLong();
        long walkerId = event.path("data").path("walker_id").asLong();
        long regionId = event.path("data").path("region_id").asLong();

        // one placement per puppy; a second signed agreement for the same puppy is left for staff review
        jdbc.update(
            "INSERT INTO placements (puppy_id, walker_id, region_id, status, source_event_id) "
                + "VALUES (?, ?, ?, 'pending_setup', ?) ON CONFLICT (puppy_id) WHERE status <> 'ended' DO NOTHING",
            puppyId, walkerId, regionId, eventId);

        jdbc.update(
            "INSERT INTO placement_jobs (event_id, kind, status, run_after) VALUES (?, 'placement_setup', 'queued', now())",
            eventId);

        return ResponseEntity.accepted().build();
    }
}
