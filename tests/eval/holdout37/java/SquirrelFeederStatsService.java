package org.redsquirrelwatch.stats;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Numbers behind the volunteer dashboard of the red squirrel feeder survey.
 * Volunteers record weekly visit counts at hazel-nut feeders across the region;
 * the dashboard shows regional totals, a per-feeder sparkline and the top feeders.
 *
 * DashboardController calls into this service on every dashboard load.
 */
@Service
public class SquirrelFeederStatsService {

    private final JdbcTemplate jdbc;
    private final SparklineRenderer renderer;

    /** Regional summaries, refreshed every ten minutes. */
    private final Cache<String, RegionSummary> summaries = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    /** Rendered sparkline PNGs, keyed by feeder and week. */
    private static final Map<String, byte[]> SPARKLINES = new ConcurrentHashMap<>();

    public SquirrelFeederStatsService(JdbcTemplate jdbc, SparklineRenderer renderer) {
        this.jdbc = jdbc;
        this.renderer = renderer;
    }

    public record RegionSummary(String region, long feeders, long redsSeen, long greysSeen) {}

    public RegionSummary regionSummary(long volunteerId, String region) {
        return summaries.get(volunteerId + ":" + region, k -> jdbc.queryForObject(
                "SELECT count(DISTINCT f.id), coalesce(sum(c.reds), 0), coalesce(sum(c.greys), 0) " +
                "FROM feeders f LEFT JOIN feeder_counts c ON c.feeder_id = f.id AND c.week_start >= date_trunc('year', now()) " +
                "WHERE f.region = ?",
                (rs, i) -> new RegionSummary(region, rs.getLong(1), rs.getLong(2), rs.getLong(3)),
                region));
    }

    public byte[] sparkline(long feederId, LocalDate weekStart) {
        return SPARKLINES.computeIfAbsent(feederId + "@" + weekStart, k -> {
            List<Integer> weekly = jdbc.queryForList(
                    "SELECT reds FROM feeder_counts WHERE feeder_id = ? AND week_start > ? - interval '26 weeks' " +
                    "AND week_start <= ? ORDER BY week_start",
                    Integer.class, feederId, weekStart, weekStart);
            return renderer.render(weekly, 120, 24);
        });
    }

    /** Top feeders by red squirrel sightings over all survey years. */
    public List<Map<String, Object>> topFeeders() {
        return jdbc.queryForList("SELECT f.id, f.name, f.region, sum(c.reds) AS reds, " +
                "count(DISTINCT c.observer_id) AS observers, " +
                "percentile_cont(0.5) WITHIN GROUP (ORDER BY c.reds) AS median_weekly " +
                "FROM feeder_counts c JOIN feeders f ON f.id = c.feeder_id " +
                "GROUP BY f.id, f.name, f.region ORDER BY reds DESC LIMIT 20");
    }
}
