package io.voltgrid.ingest.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.voltgrid.ingest.auth.DevicePrincipal;
import io.voltgrid.ingest.model.DeviceConfig;
import io.voltgrid.ingest.model.Reading;
import io.voltgrid.ingest.repo.DeviceConfigRepository;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Telemetry ingest for field gateways.
 *
 * ingest-api runs on 4 pods; anything that must be shared between them lives in Redis
 * (rate-limit counters, last-seen). Postgres access goes through the Hikari pool
 * configured in application.yml (maximum-pool-size: 20).
 */
@RestController
@RequestMapping("/v1/telemetry")
public class TelemetryIngestController {

    private static final int MAX_BATCHES_PER_MINUTE = 120;
    private static final int MAX_READINGS_PER_BATCH = 500;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final DeviceConfigRepository configs;

    // Per-pod read-through cache of device config; bounded and short-lived so
    // firmware/threshold changes propagate within a minute.
    private final Cache<String, DeviceConfig> configCache = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterWrite(Duration.ofSeconds(60))
            .build();

    public TelemetryIngestController(JdbcTemplate jdbc, StringRedisTemplate redis, DeviceConfigRepository configs) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.configs = configs;
    }

    @PostMapping("/batches")
    public ResponseEntity<Void> ingest(@AuthenticationPrincipal DevicePrincipal device,
                                       @RequestBody List<Reading> readings) {
        if (readings.size() > MAX_READINGS_PER_BATCH) {
            return ResponseEntity.status(413).build();
        }

        // fixed window per authenticated device id, shared across pods
        String rlKey = "rl:ingest:" + device.serial() + ":" + (Instant.now().getEpochSecond() / 60);
        Long n = redis.opsForValue().increment(rlKey);
        if (n != null && n == 1L) {
            redis.expire(rlKey, Duration.ofSeconds(90));
        }
        if (n != null && n > MAX_BATCHES_PER_MINUTE) {
            return ResponseEntity.status(429).header("Retry-After", "60").build();
        }

        DeviceConfig cfg = configCache.get(device.serial(), configs::findBySerial);
        List<Reading> accepted = readings.stream().filter(cfg::accepts).toList();

        jdbc.batchUpdate(
                "INSERT INTO telemetry_readings (account_id, device_id, recorded_at, battery_pct, temp_c, energy_wh) " +
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, recorded_at) DO NOTHING",
                accepted, 250,
                (ps, r) -> {
                    ps.setLong(1, device.accountId());
                    ps.setLong(2, device.deviceId());
                    ps.setTimestamp(3, Timestamp.from(r.recordedAt()));
                    ps.setBigDecimal(4, r.batteryPct());
                    ps.setBigDecimal(5, r.tempC());
                    ps.setBigDecimal(6, r.energyWh());
                });

        redis.opsForValue().set("lastseen:" + device.deviceId(), Instant.now().toString(), Duration.ofDays(2));
        return ResponseEntity.accepted().build();
    }
}
