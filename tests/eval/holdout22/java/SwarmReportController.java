package org.beekeepers.swarms.web;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * Swarm reports for the county beekeeping associations. The public reports a swarm by
 * postcode, the association's swarm coordinator assigns a collector from the member list.
 * Every association only sees its own reports.
 */
@RestController
@RequestMapping("/api/associations/{associationId}/swarms")
public class SwarmReportController {

    private static final Logger log = LoggerFactory.getLogger(SwarmReportController.class);

    private static final RowMapper<SwarmReportDto> MAPPER = (rs, i) -> new SwarmReportDto(
            rs.getLong("id"),
            rs.getString("postcode"),
            rs.getDouble("lat"),
            rs.getDouble("lon"),
            rs.getString("height_band"),
            rs.getString("status"),
            rs.getObject("reported_at", OffsetDateTime.class));

    private final JdbcTemplate jdbc;
    private final RestTemplate geocoder = new RestTemplate();
    private final String geocodeUrl;

    public SwarmReportController(JdbcTemplate jdbc, @Value("${geocoder.base-url}") String geocodeUrl) {
        this.jdbc = jdbc;
        this.geocodeUrl = geocodeUrl;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public SwarmReportDto report(@PathVariable long associationId,
                                 @Valid @RequestBody NewSwarmReport body) {
        // Resolve the postcode so the coordinator map can place the pin.
        GeoPoint point = geocoder.getForObject(geocodeUrl + "/postcodes/{pc}", GeoPoint.class, body.postcode());
        if (point == null) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "unknown postcode");
        }
        Long id = jdbc.queryForObject("""
                INSERT INTO swarm_reports (association_id, postcode, lat, lon, height_band, reporter_phone, status)
                VALUES (?, ?, ?, ?, ?, ?, 'OPEN')
                RETURNING id
                """, Long.class,
                associationId, body.postcode(), point.lat(), point.lon(), body.heightBand(), body.phone());
        log.info("swarm report {} for association {}", id, associationId);
        return get(associationId, id);
    }

    @GetMapping
    public List<SwarmReportDto> open(@PathVariable long associationId,
                                     @RequestParam(defaultValue = "0") int page) {
        return jdbc.query("""
                SELECT id, postcode, lat, lon, height_band, status, reported_at
                FROM swarm_reports
                WHERE association_id = ? AND status = 'OPEN'
                ORDER BY reported_at DESC
                LIMIT 50 OFFSET ?
                """, MAPPER, associationId, Math.max(page, 0) * 50);
    }

    /** Feeds the season heat-map on the association's public page. */
    @GetMapping("/history")
    public List<SwarmReportDto> history(@PathVariable long associationId) {
        return jdbc.query("SELECT id, postcode, lat, lon, height_band, status, reported_at FROM swarm_reports WHERE association_id = ? ORDER BY reported_at",
                MAPPER, associationId);
    }

    @PostMapping("/{reportId}/assign")
    public SwarmReportDto assign(@PathVariable long associationId,
                                 @PathVariable long reportId,
                                 @Valid @RequestBody AssignCollector body) {
        int updated = jdbc.update(
                "UPDATE swarm_reports SET collector_id = ?, status = 'ASSIGNED', assigned_at = now() WHERE id = ? AND status = 'OPEN'",
                body.collectorId(), reportId);
        if (updated == 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "report already assigned or closed");
        }
        return get(associationId, reportId);
    }

    private SwarmReportDto get(long associationId, long id) {
        return jdbc.queryForObject("""
                SELECT id, postcode, lat, lon, height_band, status, reported_at
                FROM swarm_reports WHERE id = ? AND association_id = ?
                """, MAPPER, id, associationId);
    }

    public record GeoPoint(double lat, double lon) {}
    public record NewSwarmReport(String postcode, String heightBand, String phone) {}
    public record AssignCollector(long collectorId) {}
    public record SwarmReportDto(long id, String postcode, double lat, double lon,
                                 String heightBand, String status, OffsetDateTime reportedAt) {}
}
