package coop.prairiegrain.silos.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import coop.prairiegrain.security.CoopUser;

/**
 * Grain silo levels for the co-op office. Each silo has a probe cable with temperature,
 * moisture and fill sensors that report to silo_readings every 5 minutes.
 * The dashboard is shown on the wall screen in the weighbridge office and refreshes every 30 s.
 */
@RestController
@RequestMapping("/api/silos")
public class SiloDashboardController {

    public record SiloSummary(long id, String name, double capacityTonnes, double avgFillPct,
                              double maxMoisturePct, double p95TemperatureC, long readings) {}

    public record Reading(OffsetDateTime readAt, double fillPct, double moisturePct, double temperatureC) {}

    private final JdbcTemplate jdbc;
    private final String probeGatewayUrl;

    public SiloDashboardController(JdbcTemplate jdbc, @Value("${probes.gateway-url}") String probeGatewayUrl) {
        this.jdbc = jdbc;
        this.probeGatewayUrl = probeGatewayUrl;
    }

    @GetMapping("/dashboard")
    public List<SiloSummary> dashboard(@AuthenticationPrincipal CoopUser user) {
        return jdbc.query(
                "SELECT s.id, s.name, s.capacity_tonnes, avg(r.fill_pct) AS avg_fill, max(r.moisture_pct) AS max_moisture, "
                        + "percentile_cont(0.95) WITHIN GROUP (ORDER BY r.temperature_c) AS p95_temp, count(*) AS readings "
                        + "FROM silos s JOIN silo_readings r ON r.silo_id = s.id "
                        + "WHERE s.coop_id = ? GROUP BY s.id, s.name, s.capacity_tonnes ORDER BY s.name",
                (rs, i) -> new SiloSummary(rs.getLong("id"), rs.getString("name"), rs.getDouble("capacity_tonnes"),
                        rs.getDouble("avg_fill"), rs.getDouble("max_moisture"), rs.getDouble("p95_temp"),
                        rs.getLong("readings")),
                user.coopId());
    }

    @GetMapping("/{siloId}/readings")
    public List<Reading> recentReadings(@AuthenticationPrincipal CoopUser user, @PathVariable long siloId,
                                        @RequestParam(defaultValue = "288") int limit) {
        return jdbc.query(
                "SELECT r.read_at, r.fill_pct, r.moisture_pct, r.temperature_c FROM silo_readings r "
                        + "JOIN silos s ON s.id = r.silo_id WHERE s.coop_id = ? AND r.silo_id = ? "
                        + "ORDER BY r.read_at DESC LIMIT ?",
                (rs, i) -> new Reading(rs.getObject("read_at", OffsetDateTime.class), rs.getDouble("fill_pct"),
                        rs.getDouble("moisture_pct"), rs.getDouble("temperature_c")),
                user.coopId(), siloId, Math.min(limit, 2_000));
    }

    /**
     * Recalibrates every probe on the silo's cable. The gateway walks the cable sensor by sensor
     * and answers when it is done: 3-6 minutes on the 5,000-tonne bins.
     */
    @PostMapping("/{siloId}/recalibrate")
    public String recalibrate(@AuthenticationPrincipal CoopUser user, @PathVariable long siloId)
            throws IOException, InterruptedException {
        String cableId = jdbc.query(
                "SELECT probe_cable_id FROM silos WHERE id = ? AND coop_id = ?",
                rs -> rs.next() ? rs.getString(1) : null, siloId, user.coopId());
        if (cableId == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }

        HttpClient gateway = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(probeGatewayUrl + "/cables/" + cableId + "/calibrate"))
                .timeout(Duration.ofMinutes(8))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = gateway.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "probe gateway: " + response.body());
        }

        jdbc.update("UPDATE silos SET last_calibrated_at = now() WHERE id = ? AND coop_id = ?", siloId, user.coopId());
        return response.body();
    }
}
