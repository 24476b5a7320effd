package org.keeperscottages.stays.web;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Holds and confirmations for the keeper's cottages at the three lighthouses.
 *
 * A hold keeps the cottage for 20 minutes while the guest pays the deposit
 * through the booking widget; the widget then calls /confirm.
 */
@RestController
@RequestMapping("/api/cottages")
public class LighthouseStayController {

    private static final int HOLD_MINUTES = 20;

    private final JdbcTemplate jdbc;
    private final RabbitTemplate rabbit;

    public LighthouseStayController(JdbcTemplate jdbc, RabbitTemplate rabbit) {
        this.jdbc = jdbc;
        this.rabbit = rabbit;
    }

    public record HoldRequest(long guestId, LocalDate arrival, LocalDate departure) {}

    public record ConfirmRequest(String guestEmail, String depositReference) {}

    @PostMapping("/{cottageId}/holds")
    @Transactional
    public ResponseEntity<?> holdCottage(@PathVariable long cottageId, @RequestBody HoldRequest req) {
        if (!req.departure().isAfter(req.arrival())) {
            return ResponseEntity.badRequest().body(Map.of("error", "departure must be after arrival"));
        }

        // A confirmed stay, or a hold that has not lapsed yet, blocks the nights it covers.
        Integer overlapping = jdbc.queryForObject(
                "SELECT COUNT(*) FROM cottage_stays WHERE cottage_id = ? " +
                "AND arrival < ? AND departure > ? " +
                "AND (status = 'CONFIRMED' OR (status = 'HELD' AND hold_expires_at > now()))",
                Integer.class, cottageId, req.departure(), req.arrival());

        if (overlapping != null && overlapping > 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "Those nights are no longer available"));
        }

        OffsetDateTime expires = OffsetDateTime.now().plusMinutes(HOLD_MINUTES);
        Long stayId = jdbc.queryForObject(
                "INSERT INTO cottage_stays (cottage_id, guest_id, arrival, departure, status, hold_expires_at) " +
                "VALUES (?, ?, ?, ?, 'HELD', ?) RETURNING id",
                Long.class, cottageId, req.guestId(), req.arrival(), req.departure(), expires);

        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of("stayId", stayId, "holdExpiresAt", expires.toString()));
    }

    @PostMapping("/stays/{stayId}/confirm")
    @Transactional
    public ResponseEntity<?> confirm(@PathVariable long stayId, @RequestBody ConfirmRequest req) {
        int updated = jdbc.update(
                "UPDATE cottage_stays SET status = 'CONFIRMED', deposit_ref = ?, confirmed_at = now() " +
                "WHERE id = ? AND status = 'HELD' AND hold_expires_at > now()",
                req.depositReference(), stayId);

        if (updated == 0) {
            return ResponseEntity.status(HttpStatus.GONE)
                    .body(Map.of("error", "The hold has lapsed, please choose your dates again"));
        }

        // The guest-mailer service sends the confirmation, arrival notes and tide table.
        try {
            rabbit.convertAndSend("guest-mail", "stay.confirmed", Map.of(
                    "stayId", stayId,
                    "email", req.guestEmail(),
                    "depositRef", req.depositReference()));
        } catch (AmqpException e) {
            // Guests can always see the booking under "My stays".
        }

        return ResponseEntity.ok(Map.of("stayId", stayId, "status", "CONFIRMED"));
    }
}
