// Here's a production-ready implementation of the chair hold + booking flow for the
// practice portal. It uses Spring Boot 3 with JdbcTemplate and a small SMS gateway
// client for confirmations.
//
// Key points:
//  - holds expire after 10 minutes, so abandoned checkouts free the chair automatically
//  - the hold check and insert run in one @Transactional method
//  - confirmation SMS is sent only after the booking is committed

package com.brightsmile.booking;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/practices/{practiceId}/appointments")
class AppointmentController {

    private final DentalBookingService booking;

    AppointmentController(DentalBookingService booking) {
        this.booking = booking;
    }

    @PostMapping("/holds")
    public ResponseEntity<Map<String, Object>> hold(@PathVariable long practiceId,
                                                    @RequestBody HoldRequest req) {
        UUID holdId = booking.holdChair(practiceId, req.chairId(), req.slotStart(), req.patientId());
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("holdId", holdId));
    }

    @PostMapping("/holds/{holdId}/confirm")
    public ResponseEntity<Void> confirm(@PathVariable long practiceId, @PathVariable UUID holdId) {
        booking.confirm(practiceId, holdId);
        return ResponseEntity.noContent().build();
    }
}

record HoldRequest(long chairId, Instant slotStart, long patientId) {}

@Service
public class DentalBookingService {

    private static final long HOLD_MINUTES = 10;

    private final JdbcTemplate jdbc;
    private final RestTemplate smsGateway = new RestTemplate();

    @Value("${sms.gateway.url}")
    private String smsUrl;

    public DentalBookingService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Places a temporary hold on a chair for the given slot.
     *
     * @return the id of the new hold
     * @throws ResponseStatusException 409 if the slot is already held or booked
     */
    @Transactional
    public UUID holdChair(long practiceId, long chairId, Instant slotStart, long patientId) {
        Integer active = jdbc.queryForObject("""
                SELECT count(*) FROM slot_holds
                 WHERE chair_id = ? AND slot_start = ?
                   AND (confirmed OR expires_at > now())
                """, Integer.class, chairId, Timestamp.from(slotStart));

        if (active != null && active > 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Slot no longer available");
        }

        UUID holdId = UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(HOLD_MINUTES, ChronoUnit.MINUTES);
        jdbc.update("""
                INSERT INTO slot_holds (id, practice_id, chair_id, slot_start, patient_id, confirmed, expires_at)
                VALUES (?, ?, ?, ?, ?, false, ?)
                """, holdId, practiceId, chairId, Timestamp.from(slotStart), patientId, Timestamp.from(expiresAt));
        return holdId;
    }

    /**
     * Turns a live hold into a booking and texts the patient.
     */
    @Transactional
    public void confirm(long practiceId, UUID holdId) {
        int updated = jdbc.update("""
                UPDATE slot_holds SET confirmed = true
                 WHERE id = ? AND practice_id = ? AND NOT confirmed AND expires_at > now()
                """, holdId, practiceId);
        if (updated == 0) {
            throw new ResponseStatusException(HttpStatus.GONE, "Hold expired");
        }

        Map<String, Object> row = jdbc.queryForMap("""
                SELECT p.phone, h.slot_start FROM slot_holds h
                  JOIN patients p ON p.id = h.patient_id
                 WHERE h.id = ? AND h.practice_id = ?
                """, holdId, practiceId);

        smsGateway.postForEntity(smsUrl + "/messages",
                Map.of("to", row.get("phone"),
                       "body", "Your appointment at BrightSmile is confirmed for " + row.get("slot_start")),
                Void.class);
    }
}
