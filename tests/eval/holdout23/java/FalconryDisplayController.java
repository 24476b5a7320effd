package org.raptorcentre.schedule.web;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

/**
 * Flying-display schedule for the centre's public demonstrations.
 * Falconers sign birds up for a display slot; the arena safety plan allows
 * at most two birds on the field per slot.
 */
@RestController
@RequestMapping("/api/displays")
public class FalconryDisplayController {

    private static final int MAX_BIRDS_PER_SLOT = 2;
    private static final int OWL_GUST_LIMIT_KPH = 25;

    private static final RowMapper<DisplaySlot> SLOT_MAPPER = (rs, i) -> new DisplaySlot(
            rs.getLong("id"),
            rs.getObject("starts_at", OffsetDateTime.class),
            rs.getString("arena"),
            rs.getString("status"));

    private final JdbcTemplate jdbc;
    private final RestTemplate weatherClient = new RestTemplate();
    private final String weatherBaseUrl;

    public FalconryDisplayController(JdbcTemplate jdbc,
                                     @Value("${weather.api.base-url}") String weatherBaseUrl) {
        this.jdbc = jdbc;
        this.weatherBaseUrl = weatherBaseUrl;
    }

    @GetMapping("/upcoming")
    public List<DisplaySlot> upcoming(@RequestParam(defaultValue = "20") int limit) {
        return jdbc.query(
                "SELECT id, starts_at, arena, status FROM display_slots "
                        + "WHERE starts_at > now() ORDER BY starts_at LIMIT ?",
                SLOT_MAPPER, Math.min(limit, 100));
    }

    @PostMapping("/{slotId}/birds")
    @Transactional
    public ResponseEntity<?> signUpBird(@PathVariable long slotId, @RequestBody BirdSignup body) {
        Integer onField = jdbc.queryForObject("SELECT COUNT(*) FROM display_birds WHERE slot_id = ?",
                Integer.class, slotId);
        if (onField != null && onField >= MAX_BIRDS_PER_SLOT) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "slot already has " + MAX_BIRDS_PER_SLOT + " birds"));
        }

        // Owls are grounded in strong gusts, so check the site forecast first.
        if (body.species().toLowerCase().contains("owl")) {
            WindReport wind = weatherClient.getForObject(
                    weatherBaseUrl + "/v1/wind?site={site}", WindReport.class, body.site());
            if (wind != null && wind.gustKph() > OWL_GUST_LIMIT_KPH) {
                return ResponseEntity.unprocessableEntity()
                        .body(Map.of("error", "gusts too strong for owls (" + wind.gustKph() + " km/h)"));
            }
        }

        jdbc.update(
                "INSERT INTO display_birds (slot_id, bird_id, falconer_id, signed_up_at) VALUES (?, ?, ?, now())",
                slotId, body.birdId(), body.falconerId());
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    @DeleteMapping("/{slotId}/birds/{birdId}")
    public ResponseEntity<Void> withdraw(@PathVariable long slotId, @PathVariable long birdId) {
        int removed = jdbc.update("DELETE FROM display_birds WHERE slot_id = ? AND bird_id = ?", slotId, birdId);
        return removed == 0 ? ResponseEntity.notFound().build() : ResponseEntity.noContent().build();
    }

    public record DisplaySlot(long id, OffsetDateTime startsAt, String arena, String status) {}

    public record BirdSignup(long birdId, long falconerId, String species, String site) {}

    public record WindReport(String site, double meanKph, double gustKph) {}
}
