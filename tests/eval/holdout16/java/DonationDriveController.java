package org.redline.drives.web;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

import org.redline.drives.mail.ReminderMailer;

@RestController
@RequestMapping("/api/drives")
public class DonationDriveController {

    private final JdbcTemplate jdbc;
    private final ReminderMailer mailer;

    public DonationDriveController(JdbcTemplate jdbc, ReminderMailer mailer) {
        this.jdbc = jdbc;
        this.mailer = mailer;
    }

    public record BookingRequest(long donorId, LocalDateTime slotStart) {}

    @GetMapping("/{driveId}/appointments")
    public List<Map<String, Object>> upcoming(@PathVariable long driveId,
                                              @RequestParam(defaultValue = "0") int page) {
        return jdbc.queryForList(
            "SELECT id, donor_id, slot_start, status FROM appointments " +
            "WHERE drive_id = ? ORDER BY slot_start LIMIT 50 OFFSET ?",
            driveId, page * 50);
    }

    @PostMapping("/{driveId}/appointments")
    public ResponseEntity<?> book(@PathVariable long driveId, @RequestBody BookingRequest req) {
        Integer chairs = jdbc.queryForObject(
            "SELECT chairs_per_slot FROM drives WHERE id = ?", Integer.class, driveId);
        Integer taken = jdbc.queryForObject(
            "SELECT COUNT(*) FROM appointments WHERE drive_id = ? AND slot_start = ? AND status <> 'CANCELLED'",
            Integer.class, driveId, req.slotStart());

        if (taken != null && chairs != null && taken >= chairs) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "slot is full"));
        }

        jdbc.update(
            "INSERT INTO appointments (drive_id, donor_id, slot_start, status) VALUES (?, ?, ?, 'BOOKED')",
            driveId, req.donorId(), req.slotStart());

        try {
            mailer.sendConfirmation(req.donorId(), driveId, req.slotStart());
        } catch (Exception ignored) {
            // smtp relay is flaky, booking is what matters
        }
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    @DeleteMapping("/{driveId}/appointments/{id}")
    public ResponseEntity<Void> cancel(@PathVariable long driveId, @PathVariable long id,
                                       @RequestParam long donorId) {
        int n = jdbc.update(
            "UPDATE appointments SET status = 'CANCELLED' WHERE id = ? AND drive_id = ? AND donor_id = ? AND status = 'BOOKED'",
            id, driveId, donorId);
        return n == 1 ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    // wall screens in every donor centre poll this every 30s
    @GetMapping("/dashboard")
    public List<Map<String, Object>> dashboard() {
        return jdbc.queryForList("""
            SELECT d.region,
                   dn.blood_type,
                   COUNT(*)          AS units,
                   SUM(dn.volume_ml) AS total_ml,
                   COUNT(DISTINCT dn.donor_id) AS donors
            FROM donations dn
            JOIN drives d ON d.id = dn.drive_id
            GROUP BY d.region, dn.blood_type
            ORDER BY d.region, dn.blood_type
            """);
    }
}
