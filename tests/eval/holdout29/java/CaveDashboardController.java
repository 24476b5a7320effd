package com.hollowdale.cave.dashboard;

import java.security.Principal;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

import com.hollowdale.cave.ripening.RipeningModelTrainer;
import com.hollowdale.cave.ripening.TrainingReport;

/**
 * Affineur dashboard for the cheese caves: batch status tiles, the 30-day humidity trend
 * chart and the "refit ripening model" button the head affineur presses after a season's
 * batches have been graded.
 */
@RestController
@RequestMapping("/api/caves/{caveId}/dashboard")
public class CaveDashboardController {

    private static final Duration SUMMARY_TTL = Duration.ofMinutes(5);
    private static final Duration TREND_TTL = Duration.ofSeconds(60);

    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final RipeningModelTrainer trainer;

    public CaveDashboardController(StringRedisTemplate redis, JdbcTemplate jdbc,
                                   ObjectMapper mapper, RipeningModelTrainer trainer) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.trainer = trainer;
    }

    /** Tiles: how many wheels are in each stage (brining, turning, washing, ready). */
    @GetMapping("/summary")
    public List<StageCount> summary(@PathVariable int caveId, Principal principal) throws JsonProcessingException {
        String key = "cave:" + caveId + ":summary:" + principal.getName();
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return mapper.readValue(cached, new TypeReference<List<StageCount>>() {});
        }
        List<StageCount> counts = jdbc.query(
            "SELECT stage, count(*) AS wheels FROM ripening_batches WHERE cave_id = ? AND sold_at IS NULL GROUP BY stage",
            (rs, i) -> new StageCount(rs.getString("stage"), rs.getInt("wheels")),
            caveId);
        redis.opsForValue().set(key, mapper.writeValueAsString(counts), SUMMARY_TTL);
        return counts;
    }

    /** Hourly humidity/temperature bands over the last 30 days for the chart on the landing page. */
    @GetMapping("/humidity-trend")
    public List<TrendPoint> humidityTrend(@PathVariable int caveId) throws JsonProcessingException {
        String trendKey = "cave:" + caveId + ":humidity-trend:30d";
        String cachedTrend = redis.opsForValue().get(trendKey);
        if (cachedTrend != null) {
            return mapper.readValue(cachedTrend, new TypeReference<List<TrendPoint>>() {});
        }
        // sensor_readings gets a row per probe every 10 s (~2.5M rows/month per cave)
        List<TrendPoint> points = jdbc.query(
            "SELECT date_trunc('hour', read_at) AS hour, avg(rel_humidity) AS rh, "
                + "percentile_cont(0.05) WITHIN GROUP (ORDER BY rel_humidity) AS rh_p05, "
                + "percentile_cont(0.95) WITHIN GROUP (ORDER BY rel_humidity) AS rh_p95, avg(temp_c) AS temp "
                + "FROM sensor_readings WHERE cave_id = ? AND read_at > now() - interval '30 days' "
                + "GROUP BY 1 ORDER BY 1",
            (rs, i) -> new TrendPoint(rs.getTimestamp("hour").toInstant(), rs.getDouble("rh"),
                rs.getDouble("rh_p05"), rs.getDouble("rh_p95"), rs.getDouble("temp")),
            caveId);
        redis.opsForValue().set(trendKey, mapper.writeValueAsString(points), TREND_TTL);
        return points;
    }

    /**
     * Refits the ripening curve for every graded batch of the season (Monte Carlo over the
     * sensor history of each batch) and returns the new model's error per cheese type.
     * A full season on the big cave is 300-odd batches, roughly six to eight minutes.
     */
    @PostMapping("/ripening-model/refit")
    public TrainingReport refit(@PathVariable int caveId, @RequestParam int season) {
        TrainingReport report = trainer.refitSeason(caveId, season, 20_000);
        jdbc.update("UPDATE caves SET model_version = model_version + 1, model_fitted_at = now() WHERE id = ?", caveId);
        return report;
    }

    public record StageCount(String stage, int wheels) {}
    public record TrendPoint(java.time.Instant hour, double rh, double rhP05, double rhP95, double tempC) {}
}
