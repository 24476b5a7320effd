package org.museum.loans.courier;

import java.time.OffsetDateTime;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import org.museum.loans.events.LoanObjectMoved;

/**
 * Receives tracking events from the fine-art shipping agent for objects going out
 * on loan (or coming back). Each event moves the object's current location in the
 * collections register and adds a line to its movement history, which the
 * registrar signs off for the insurers (premiums are charged per transit leg).
 */
@RestController
public class MuseumLoanWebhookController {

    private static final Logger log = LoggerFactory.getLogger(MuseumLoanWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final Set<String> courierAddresses;

    public MuseumLoanWebhookController(JdbcTemplate jdbc,
                                       ApplicationEventPublisher events,
                                       @Value("${courier.webhook.allowed-ips}") Set<String> courierAddresses) {
        this.jdbc = jdbc;
        this.events = events;
        this.courierAddresses = courierAddresses;
    }

    public record CourierEvent(String eventId,
                               String shipmentRef,
                               String status,          // COLLECTED, IN_TRANSIT, DELIVERED, RETURNED
                               String location,
                               OffsetDateTime occurredAt,
                               String signedBy) {}

    @PostMapping("/webhooks/courier/tracking")
    @Transactional
    public ResponseEntity<Void> trackingEvent(@RequestBody CourierEvent event, HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        String caller = forwarded != null ? forwarded.split(",")[0].trim() : request.getRemoteAddr();
        if (!courierAddresses.contains(caller)) {
            log.warn("rejected courier webhook from {}", caller);
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }

        Long objectId = jdbc.query(
            "SELECT lo.object_id FROM loan_objects lo JOIN shipments s ON s.loan_id = lo.loan_id " +
            "WHERE s.reference = ?",
            rs -> rs.next() ? rs.getLong(1) : null, event.shipmentRef());
        if (objectId == null) {
            log.warn("courier event {} for unknown shipment {}", event.eventId(), event.shipmentRef());
            return ResponseEntity.ok().build();   // don't make the courier retry forever
        }

        jdbc.update(
            "INSERT INTO object_movements (object_id, status, location, moved_at, signed_by, source) " +
            "VALUES (?, ?, ?, ?, ?, 'COURIER')",
            objectId, event.status(), event.location(), event.occurredAt(), event.signedBy());

        jdbc.update(
            "UPDATE objects SET current_location = ?, location_updated_at = ?, " +
            "transit_legs = transit_legs + CASE WHEN ? = 'COLLECTED' THEN 1 ELSE 0 END " +
            "WHERE id = ?",
            event.location(), event.occurredAt(), event.status(), objectId);

        if ("DELIVERED".equals(event.status()) || "RETURNED".equals(event.status())) {
            // Registrar gets an email and the condition-check task is created.
            events.publishEvent(new LoanObjectMoved(objectId, event.status(), event.location()));
        }
        return ResponseEntity.ok().build();
    }
}

