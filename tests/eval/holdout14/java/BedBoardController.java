// Here's a production-ready Spring Boot controller for the bed board. It uses
// JdbcTemplate directly (no JPA overhead), scopes queries to the caller's hospital,
// and wraps the assignment in a transaction so the bed and admission stay consistent.

package com.medflow.beds.web;

import com.medflow.beds.security.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import java.util.List;
import java.util.Map;

/**
 * REST endpoints for the ward bed board.
 *
 * Tables (multi-tenant, every row carries hospital_id):
 *   beds(id, hospital_id, ward_id, label, status, patient_id, updated_at)
 *   admissions(id, hospital_id, patient_id, ward_id, bed_id, admitted_at, discharged_at)
 */
@RestController
@RequestMapping("/api/beds")
public class BedBoardController {

    private final JdbcTemplate jdbc;

    public BedBoardController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Beds of one ward for the current hospital (a ward has at most ~40 beds). */
    @GetMapping("/wards/{wardId}")
    public List<Map<String, Object>> wardBeds(@PathVariable long wardId, CurrentUser user) {
        return jdbc.queryForList(
                "SELECT id, label, status, patient_id FROM beds WHERE hospital_id = ? AND ward_id = ? ORDER BY label",
                user.hospitalId(), wardId);
    }

    /** Single bed detail, used by the nurse-station side panel. */
    @GetMapping("/{bedId}")
    public Map<String, Object> bed(@PathVariable long bedId, CurrentUser user) {
        return jdbc.queryForMap(
                "SELECT b.id, b.label, b.status, b.patient_id, b.ward_id FROM beds b WHERE b.id = ?",
                bedId);
    }

    /**
     * Assign a patient to a free bed.
     * The whole method runs in one transaction, so the bed update and the
     * admission insert are committed together.
     */
    @PostMapping("/{bedId}/assign")
    @Transactional
    public ResponseEntity<Void> assign(@PathVariable long bedId,
                                       @RequestBody AssignRequest req,
                                       CurrentUser user) {
        String status = jdbc.queryForObject(
                "SELECT status FROM beds WHERE id = ? AND hospital_id = ?",
                String.class, bedId, user.hospitalId());

        if (!"AVAILABLE".equals(status)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Bed is not available");
        }

        jdbc.update(
                "UPDATE beds SET status = 'OCCUPIED', patient_id = ?, updated_at = now() " +
                "WHERE id = ? AND hospital_id = ?",
                req.patientId(), bedId, user.hospitalId());
        jdbc.update(
                "INSERT INTO admissions (hospital_id, patient_id, ward_id, bed_id, admitted_at) " +
                "SELECT hospital_id, ?, ward_id, id, now() FROM beds WHERE id = ? AND hospital_id = ?",
                req.patientId(), bedId, user.hospitalId());
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    /** Discharge: conditional update, 409 if the bed was not occupied. */
    @PostMapping("/{bedId}/discharge")
    @Transactional
    public ResponseEntity<Void> discharge(@PathVariable long bedId, CurrentUser user) {
        int rows = jdbc.update(
                "UPDATE beds SET status = 'CLEANING', patient_id = NULL, updated_at = now() " +
                "WHERE id = ? AND hospital_id = ? AND status = 'OCCUPIED'",
                bedId, user.hospitalId());
        if (rows == 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Bed is not occupied");
        }
        jdbc.update(
                "UPDATE admissions SET discharged_at = now() " +
                "WHERE bed_id = ? AND hospital_id = ? AND discharged_at IS NULL",
                bedId, user.hospitalId());
        return ResponseEntity.noContent().build();
    }

    /**
     * Occupancy dashboard. The wall displays on every ward poll this every 15 seconds.
     */
    @GetMapping("/occupancy")
    public List<Map<String, Object>> occupancy(CurrentUser user) {
        return jdbc.queryForList("""
                SELECT w.name AS ward,
                       COUNT(*) FILTER (WHERE a.discharged_at IS NULL) AS occupied,
                       COUNT(DISTINCT a.patient_id) AS patients_all_time,
                       AVG(EXTRACT(EPOCH FROM (COALESCE(a.discharged_at, now()) - a.admitted_at)) / 3600) AS avg_los_hours
                FROM admissions a
                JOIN beds b  ON b.id = a.bed_id
                JOIN wards w ON w.id = b.ward_id
                WHERE a.hospital_id = ?
                GROUP BY w.name
                ORDER BY w.name
                """, user.hospitalId());
    }

    public record AssignRequest(long patientId) {}
}
