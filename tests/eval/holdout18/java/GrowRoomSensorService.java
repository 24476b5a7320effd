package farm.mycelia.sensors;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Reads for the grow-room dashboard (humidity, CO2, substrate temp per room).
 * The raw readings table is written by the MQTT ingester every 10 s per sensor.
 */
@Service
public class GrowRoomSensorService {

    public record RoomSummary(long roomId, double avgHumidity, double avgCo2Ppm, double avgSubstrateC) {}
    public record AlertRule(long id, long roomId, String metric, double threshold, String direction) {}
    public record Calibration(String sensorModel, double humidityOffset, double co2Factor) {}

    private final JdbcTemplate jdbc;

    // sensor model -> calibration constants; ~12 models, read once when the app starts
    private Map<String, Calibration> calibrationByModel = Map.of();

    // one entry per room, recomputed at most every 30 s; Caffeine runs the loader once per key
    private final Cache<Long, RoomSummary> roomSummaries = Caffeine.newBuilder()
            .maximumSize(500)
            .expireAfterWrite(Duration.ofSeconds(30))
            .build();

    // each grower's own alert rules, keyed by their user id
    private final Cache<Long, List<AlertRule>> alertRulesByUser = Caffeine.newBuilder()
            .maximumSize(2_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    public GrowRoomSensorService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostConstruct
    void loadCalibration() {
        Map<String, Calibration> loaded = new HashMap<>();
        jdbc.query("SELECT sensor_model, humidity_offset, co2_factor FROM sensor_calibration",
                rs -> {
                    loaded.put(rs.getString("sensor_model"), new Calibration(
                            rs.getString("sensor_model"), rs.getDouble("humidity_offset"), rs.getDouble("co2_factor")));
                });
        calibrationByModel = Map.copyOf(loaded);
    }

    public Calibration calibrationFor(String sensorModel) {
        return calibrationByModel.get(sensorModel);
    }

    public RoomSummary roomSummary(long roomId) {
        return roomSummaries.get(roomId, this::loadRoomSummary);
    }

    private RoomSummary loadRoomSummary(long roomId) {
        return jdbc.queryForObject("""
                SELECT room_id,
                       AVG(humidity_pct)   AS avg_humidity,
                       AVG(co2_ppm)        AS avg_co2_ppm,
                       AVG(substrate_temp) AS avg_substrate_c
                  FROM sensor_readings
                 WHERE room_id = ? AND read_at > now() - interval '15 minutes'
                 GROUP BY room_id
                """, new DataClassRowMapper<>(RoomSummary.class), roomId);
    }

    public List<AlertRule> alertRulesFor(long userId) {
        return alertRulesByUser.get(userId, uid -> jdbc.query("""
                SELECT id, room_id, metric, threshold, direction
                  FROM alert_rules
                 WHERE owner_user_id = ?
                 ORDER BY room_id, metric
                """, new DataClassRowMapper<>(AlertRule.class), uid));
    }

    public void invalidateAlertRules(long userId) {
        alertRulesByUser.invalidate(userId);
    }
}
