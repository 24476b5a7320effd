package io.verdant.greenhouse.web;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Endpoints behind the grower dashboard (the React app in /frontend polls these
 * every 30 seconds while the dashboard tab is open).
 */
@RestController
@RequestMapping("/api/greenhouses")
public class GreenhouseDashboardController {

    /** Sensor metadata rarely changes, so keep it around instead of hitting the DB each time. */
    private static final Map<String, SensorMeta> SENSOR_META = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    public GreenhouseDashboardController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record SensorMeta(String sensorId, String houseId, String kind, String bench, String unit) {}

    public record Reading(String sensorId, java.time.Instant recordedAt, double temperatureC,
                          double humidityPct, double co2Ppm) {}

    /**
     * Overview tiles: hourly climate per house for the current growing season,
     * plus the 95th percentile so growers can spot heat stress.
     */
    @GetMapping("/overview")
    public List<Map<String, Object>> overview() {
        return jdbc.queryForList("SELECT r.house_id, date_trunc('hour', r.recorded_at) AS hour, "
                + "avg(r.temperature_c) AS avg_temp, avg(r.humidity_pct) AS avg_humidity, max(r.co2_ppm) AS max_co2, "
                + "percentile_cont(0.95) WITHIN GROUP (ORDER BY r.temperature_c) AS p95_temp "
                + "FROM sensor_readings r JOIN sensors s ON s.id = r.sensor_id "
                + "WHERE r.recorded_at >= date_trunc('year', now()) "
                + "GROUP BY r.house_id, date_trunc('hour', r.recorded_at) "
                + "ORDER BY r.house_id, hour");
    }

    /** Raw readings for one house, used by the "download CSV" button and the detail chart. */
    @GetMapping("/{houseId}/readings")
    public List<Reading> readings(@PathVariable String houseId) {
        return jdbc.query(
                "SELECT sensor_id, recorded_at, temperature_c, humidity_pct, co2_ppm FROM sensor_readings WHERE house_id = ? ORDER BY recorded_at DESC",
                (rs, i) -> new Reading(
                        rs.getString("sensor_id"),
                        rs.getTimestamp("recorded_at").toInstant(),
                        rs.getDouble("temperature_c"),
                        rs.getDouble("humidity_pct"),
                        rs.getDouble("co2_ppm")),
                houseId);
    }

    @GetMapping("/sensors/{sensorId}")
    public SensorMeta sensor(@PathVariable String sensorId) {
        return SENSOR_META.computeIfAbsent(sensorId, id -> jdbc.queryForObject(
                "SELECT id, house_id, kind, bench, unit FROM sensors WHERE id = ?",
                (rs, i) -> new SensorMeta(
                        rs.getString("id"),
                        rs.getString("house_id"),
                        rs.getString("kind"),
                        rs.getString("bench"),
                        rs.getString("unit")),
                id));
    }
}
