package org.communityorchard.pressing.stats;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Numbers for the orchard's pressing-day dashboard: litres of juice pressed, apples
 * brought in by variety, and how many demijohns went home for fermenting.
 */
@Service
public class CiderPressingStatsService {

    public record VarietyTotal(String variety, BigDecimal kilos) {}
    public record PressingSummary(int season, BigDecimal litresPressed, int demijohns, List<VarietyTotal> byVariety) {}
    public record SeasonTotals(int season, BigDecimal litres, BigDecimal kilos, int pressingDays, int members) {}

    private static final Duration TOTALS_TTL = Duration.ofMinutes(5);

    private final Map<String, PressingSummary> summaryCache = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;

    public CiderPressingStatsService(JdbcTemplate jdbc, StringRedisTemplate redis, ObjectMapper json) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.json = json;
    }

    /**
     * Season summary panel at the top of the dashboard. Every member sees the same
     * orchard-wide figures for the season they pick.
     */
    public PressingSummary seasonSummary(long memberId, int season) {
        String key = "summary:" + memberId + ":" + season;
        return summaryCache.computeIfAbsent(key, k -> loadSummary(season));
    }

    private PressingSummary loadSummary(int season) {
        Map<String, Object> totals = jdbc.queryForMap(
                "SELECT COALESCE(SUM(litres_out), 0) AS litres, COALESCE(SUM(demijohns_filled), 0) AS demijohns "
                        + "FROM pressing_sessions WHERE season = ?", season);
        List<VarietyTotal> varieties = jdbc.query(
                "SELECT variety, SUM(kilos_in) AS kilos FROM apple_dropoffs WHERE season = ? "
                        + "GROUP BY variety ORDER BY kilos DESC LIMIT 12",
                (rs, i) -> new VarietyTotal(rs.getString("variety"), rs.getBigDecimal("kilos")), season);
        return new PressingSummary(season,
                (BigDecimal) totals.get("litres"),
                ((Number) totals.get("demijohns")).intValue(),
                varieties);
    }

    /**
     * Running totals in the footer of every dashboard page, refreshed every few minutes
     * while pressing days are on. The query walks every drop-off and session row of the
     * season, which takes 2-3 s in October.
     */
    public SeasonTotals seasonTotals(int season) {
        String redisKey = "pressing:totals:" + season;
        String cached = redis.opsForValue().get(redisKey);
        if (cached != null) {
            try {
                return json.readValue(cached, SeasonTotals.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Corrupt cached totals under " + redisKey, e);
            }
        }

        SeasonTotals fresh = jdbc.queryForObject(
                "SELECT ? AS season, COALESCE(SUM(ps.litres_out), 0) AS litres, "
                        + "(SELECT COALESCE(SUM(d.kilos_in), 0) FROM apple_dropoffs d WHERE d.season = ?) AS kilos, "
                        + "COUNT(DISTINCT ps.pressing_day) AS days, "
                        + "(SELECT COUNT(DISTINCT d2.member_id) FROM apple_dropoffs d2 WHERE d2.season = ?) AS members "
                        + "FROM pressing_sessions ps WHERE ps.season = ?",
                (rs, i) -> new SeasonTotals(rs.getInt("season"), rs.getBigDecimal("litres"),
                        rs.getBigDecimal("kilos"), rs.getInt("days"), rs.getInt("members")),
                season, season, season, season);

        try {
            redis.opsForValue().set(redisKey, json.writeValueAsString(fresh), TOTALS_TTL);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialise season totals", e);
        }
        return fresh;
    }
}
