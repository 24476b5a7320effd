package net.sourdoughswap.registry.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.sourdoughswap.registry.courier.CourierSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * Delivery updates from the courier for starter jars sent between members of
 * the sourdough swap registry. The courier redelivers until it gets a 2xx, so
 * each event id is recorded in courier_events (primary key) before anything
 * else happens, inside the same transaction.
 */
@RestController
public class StarterSwapCourierWebhook {

    private static final Logger log = LoggerFactory.getLogger(StarterSwapCourierWebhook.class);

    private final JdbcTemplate jdbc;
    private final CourierSignature signature;
    private final ObjectMapper mapper;

    public StarterSwapCourierWebhook(JdbcTemplate jdbc, CourierSignature signature, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.signature = signature;
        this.mapper = mapper;
    }

    @PostMapping("/webhooks/courier")
    @Transactional
    public ResponseEntity<Void> onCourierEvent(@RequestHeader("X-Courier-Signature") String sig,
                                               @RequestBody String payload) throws IOException {
        if (!signature.verify(payload, sig)) {
            return ResponseEntity.status(401).build();
        }
        JsonNode event = mapper.readTree(payload);
        String eventId = event.path("id").asText();
        String status = event.path("status").asText();
        String trackingRef = event.path("tracking_ref").asText();

        try {
            int fresh = jdbc.update("""
                    INSERT INTO courier_events (event_id, tracking_ref, status, received_at)
                    VALUES (?, ?, ?, now())
                    ON CONFLICT (event_id) DO NOTHING
                    """, eventId, trackingRef, status);
            if (fresh == 0) {
                log.debug("courier event {} already processed", eventId);
                return ResponseEntity.ok().build();
            }

            if ("DELIVERED".equals(status)) {
                int moved = jdbc.update("""
                        UPDATE starter_swaps
                           SET state = 'RECEIVED', received_at = now()
                         WHERE tracking_ref = ? AND state = 'IN_TRANSIT'
                        """, trackingRef);
                if (moved == 1) {
                    jdbc.update("""
                            INSERT INTO swap_notifications (swap_id, kind)
                            SELECT id, 'JAR_ARRIVED' FROM starter_swaps WHERE tracking_ref = ?
                            """, trackingRef);
                }
            }
        } catch (DataAccessException e) {
            log.error("failed to apply courier event {} for {}", eventId, trackingRef, e);
            throw e;
        }
        return ResponseEntity.ok().build();
    }
}
