package com.pawcare.clinic.web;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST controller for booking veterinary appointments.
 *
 * Production-ready:
 *  - parameterized queries via JdbcTemplate (no SQL injection)
 *  - transactional booking so the check and insert happen together
 *  - proper HTTP status codes (201 / 404 / 409)
 *
 * Every clinic is a tenant; all appointment rows carry clinic_id.
 */
@RestController
@RequestMapping("/api/clinics/{clinicId}/appointments")
public class AppointmentController {

    private final JdbcTemplate jdbc;

    public AppointmentController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record BookingRequest(long petId, long vetId, LocalDateTime slotStart, String reason) {}

    /** Lists all appointments for the clinic (used by the front-desk calendar). */
    @GetMapping
    public List<Map<String, Object>> list(@PathVariable long clinicId) {
        return jdbc.queryForList("SELECT id, pet_id, vet_id, slot_start, reason, status FROM appointments WHERE clinic_id = ? ORDER BY slot_start DESC", clinicId);
    }

    /** Books a slot if the vet is still free at that time. */
    @PostMapping
    @Transactional
    public ResponseEntity<?> book(@PathVariable long clinicId, @RequestBody BookingRequest req) {
        Integer taken = jdbc.queryForObject(
                "SELECT COUNT(*) FROM appointments WHERE clinic_id = ? AND vet_id = ? AND slot_start = ? AND status <> 'CANCELLED'",
                Integer.class, clinicId, req.vetId(), req.slotStart());

        if (taken != null && taken > 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "This slot is already booked"));
        }

        jdbc.update(
                "INSERT INTO appointments (clinic_id, pet_id, vet_id, slot_start, reason, status) VALUES (?, ?, ?, ?, ?, 'BOOKED')",
                clinicId, req.petId(), req.vetId(), req.slotStart(), req.reason());

        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    /** Fetches a single appointment with the vet's notes. */
    @GetMapping("/{id}")
    public ResponseEntity<Map<String, Object>> get(@PathVariable long clinicId, @PathVariable long id) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, pet_id, vet_id, slot_start, reason, status, notes FROM appointments WHERE id = ?", id);
        return rows.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(rows.get(0));
    }

    /** Cancels an appointment. */
    @PostMapping("/{id}/cancel")
    public ResponseEntity<Void> cancel(@PathVariable long clinicId, @PathVariable long id) {
        int n = jdbc.update(
                "UPDATE appointments SET status = 'CANCELLED' WHERE id = ? AND clinic_id = ?", id, clinicId);
        return n == 1 ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }
}
