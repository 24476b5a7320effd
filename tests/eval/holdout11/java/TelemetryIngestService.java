package com.gridbot.fleet.telemetry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.*;

/**
 * Ingests telemetry frames from the AMR fleet (battery, pose, motor temps) posted by the
 * site gateways every 2 s, and maintains the per-robot health rollup used by the fleet map.
 */
@Service
public class TelemetryIngestService {

    private static final Logger log = LoggerFactory.getLogger(TelemetryIngestService.class);
    private static final int PAGE = 500;

    private final JdbcTemplate jdbc;

    /** Model specs (max motor temp, battery curve). ~40 models, loaded once; read-only afterwards. */
    private Map<String, ModelSpec> specsByModel = Map.of();

    /** robot serial -> (site, zone). Robots move between zones rarely. */
    private final Cache<String, Placement> placements = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    public TelemetryIngestService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostConstruct
    void loadModelSpecs() {
        Map<String, ModelSpec> m = new HashMap<>();
        jdbc.query("SELECT model_code, max_motor_temp_c, min_battery_pct FROM robot_models",
                rs -> { m.put(rs.getString(1), new ModelSpec(rs.getDouble(2), rs.getDouble(3))); });
        specsByModel = Map.copyOf(m);
        log.info("loaded {} robot model specs", specsByModel.size());
    }

    /** Called by the controller after it has validated the gateway's batch; returns 202 immediately. */
    @Async("telemetryExecutor")
    public void ingest(String siteId, List<Frame> frames) {
        List<Object[]> args = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            args.add(new Object[]{f.serial(), siteId, Timestamp.from(f.recordedAt()),
                    f.batteryPct(), f.x(), f.y(), f.motorTempC()});
        }
        jdbc.batchUpdate("""
                INSERT INTO telemetry_frames (serial, site_id, recorded_at, battery_pct, x, y, motor_temp_c)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, args);
    }

    public Placement placementOf(String serial) {
        return placements.get(serial, s -> jdbc.queryForObject(
                "SELECT site_id, zone FROM robots WHERE serial = ?",
                (rs, i) -> new Placement(rs.getString(1), rs.getString(2)), s));
    }

    /** Health rollup: walk robots page by page, one aggregate query per page of serials. */
    @Scheduled(fixedDelay = 60_000)
    public void rollupHealth() {
        String after = "";
        while (true) {
            List<Map<String, Object>> page = jdbc.queryForList(
                    "SELECT serial, model_code FROM robots WHERE serial > ? AND active ORDER BY serial LIMIT ?",
                    after, PAGE);
            if (page.isEmpty()) break;

            String[] serials = page.stream().map(r -> (String) r.get("serial")).toArray(String[]::new);
            Map<String, double[]> latest = new HashMap<>();
            jdbc.query("""
                    SELECT serial, max(motor_temp_c), min(battery_pct)
                      FROM telemetry_frames
                     WHERE serial = ANY(?) AND recorded_at > now() - interval '5 minutes'
                     GROUP BY serial
                    """, rs -> { latest.put(rs.getString(1), new double[]{rs.getDouble(2), rs.getDouble(3)}); },
                    (Object) serials);

            List<Object[]> updates = new ArrayList<>();
            for (Map<String, Object> r : page) {
                String serial = (String) r.get("serial");
                ModelSpec spec = specsByModel.get((String) r.get("model_code"));
                double[] v = latest.get(serial);
                String health = v == null ? "OFFLINE"
                        : (spec != null && (v[0] > spec.maxMotorTempC() || v[1] < spec.minBatteryPct())) ? "ATTENTION" : "OK";
                updates.add(new Object[]{health, serial});
            }
            jdbc.batchUpdate("UPDATE robots SET health = ?, health_at = now() WHERE serial = ?", updates);
            after = serials[serials.length - 1];
        }
    }

    /** telemetry_frames is only needed for 14 days (long-term stats live in the warehouse). */
    @Scheduled(cron = "0 15 3 * * *")
    public void pruneFrames() {
        int n = jdbc.update("DELETE FROM telemetry_frames WHERE recorded_at < now() - interval '14 days'");
        log.info("pruned {} telemetry frames", n);
    }

    record Frame(String serial, java.time.Instant recordedAt, double batteryPct, double x, double y, double motorTempC) {}
    record ModelSpec(double maxMotorTempC, double minBatteryPct) {}
    record Placement(String siteId, String zone) {}
}
