package org.guild.peals.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Peal records for the diocesan guild.
 *
 * Tower secretaries submit a peal once it has been rung. The guild rules allow one
 * peal per tower, per day, per method; quarter peals go through a different form.
 * The band is stored bell by bell so the annual report can credit each ringer.
 */
@RestController
@RequestMapping("/api/peals")
public class PealRecordController {

    private final JdbcTemplate jdbc;

    public PealRecordController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record PealSubmission(long towerId,
                                 LocalDate rungOn,
                                 String method,
                                 int changes,
                                 String conductor,
                                 List<String> band) {}

    @PostMapping
    @Transactional
    public ResponseEntity<?> submit(@RequestBody PealSubmission s) {
        if (s.changes() < 5000) {
            return ResponseEntity.badRequest()
                .body(Map.of("error", "a peal must be at least 5,000 changes"));
        }
        if (s.band() == null || s.band().isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("error", "band is required"));
        }

        Integer already = jdbc.queryForObject("SELECT COUNT(*) FROM peals WHERE tower_id = ? AND rung_on = ? AND method = ?",
            Integer.class, s.towerId(), s.rungOn(), s.method());
        if (already != null && already > 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(Map.of("error", "a peal of this method is already recorded for that tower and date"));
        }

        Long pealId = jdbc.queryForObject(
            "INSERT INTO peals (tower_id, rung_on, method, changes, conductor) VALUES (?, ?, ?, ?, ?) RETURNING id",
            Long.class, s.towerId(), s.rungOn(), s.method(), s.changes(), s.conductor());

        // Treble is bell 1; the list arrives in ringing order from the form.
        List<Object[]> bandRows = new ArrayList<>();
        int bell = 1;
        for (String ringer : s.band()) {
            bandRows.add(new Object[] { pealId, bell++, ringer.trim() });
        }
        jdbc.batchUpdate("INSERT INTO peal_band (peal_id, bell, ringer_name) VALUES (?, ?, ?)", bandRows);

        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", pealId));
    }

    @GetMapping("/{id}")
    public ResponseEntity<Map<String, Object>> get(@PathVariable long id) {
        try {
            Map<String, Object> peal = jdbc.queryForMap(
                "SELECT p.id, p.rung_on, p.method, p.changes, p.conductor, t.place, t.dedication " +
                "FROM peals p JOIN towers t ON t.id = p.tower_id WHERE p.id = ?", id);
            return ResponseEntity.ok(peal);
        } catch (EmptyResultDataAccessException notFound) {
            return ResponseEntity.notFound().build();
        }
    }

    /**
     * A ringer's personal peal book: every peal they have rung in, newest first.
     * Used by the "My peals" page and by the guild's CSV export.
     */
    @GetMapping("/by-ringer")
    public List<Map<String, Object>> byRinger(@RequestParam String name) {
        return jdbc.queryForList("SELECT p.id, p.rung_on, p.method, p.changes, b.bell, t.place, t.dedication " +
            "FROM peal_band b " +
            "JOIN peals p ON p.id = b.peal_id " +
            "JOIN towers t ON t.id = p.tower_id " +
            "WHERE lower(b.ringer_name) = lower(?) " +
            "ORDER BY p.rung_on DESC", name.trim());
    }
}
