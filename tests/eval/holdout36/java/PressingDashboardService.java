package org.communityorchard.pressings.dashboard;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Numbers for the orchard members' dashboard: season totals from the cider
 * pressings, the apple-variety leaderboard and each member's own pressings.
 */
@Service
public class PressingDashboardService {

    private static final Duration TOTALS_TTL = Duration.ofMinutes(10);
    private static final Duration LEADERBOARD_TTL = Duration.ofHours(1);

    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public PressingDashboardService(StringRedisTemplate redis, JdbcTemplate jdbc, ObjectMapper json) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.json = json;
    }

    public SeasonTotals seasonTotals(int season) throws JsonProcessingException {
        String key = "orchard:season-totals:" + season;
        String cachedTotals = redis.opsForValue().get(key);
        if (cachedTotals != null) {
            return json.readValue(cachedTotals, SeasonTotals.class);
        }

        // Rolls up every pressing, bottling run and juice test for the season (~6-9 s at harvest time).
        SeasonTotals totals = jdbc.queryForObject("""
                SELECT COUNT(DISTINCT p.id)                       AS pressings,
                       COALESCE(SUM(p.apples_kg), 0)              AS apples_kg,
                       COALESCE(SUM(p.juice_litres), 0)           AS juice_litres,
                       COALESCE(SUM(b.bottles_filled), 0)         AS bottles,
                       AVG(t.specific_gravity)                    AS mean_gravity,
                       COUNT(DISTINCT p.member_id)                AS members_pressing
                FROM pressings p
                LEFT JOIN bottling_runs b ON b.pressing_id = p.id
                LEFT JOIN juice_tests t   ON t.pressing_id = p.id
                WHERE p.season = ?
                """, new DataClassRowMapper<>(SeasonTotals.class), season);

        redis.opsForValue().set(key, json.writeValueAsString(totals), TOTALS_TTL);
        return totals;
    }

    /** Top varieties by juice yield, shown on every member's home page. */
    public List<VarietyRank> varietyLeaderboard(long memberId, int season) throws JsonProcessingException {
        String boardKey = "orchard:leaderboard:" + memberId + ":" + season;
        String cachedBoard = redis.opsForValue().get(boardKey);
        if (cachedBoard != null) {
            return json.readValue(cachedBoard, new TypeReference<List<VarietyRank>>() {});
        }

        List<VarietyRank> board = jdbc.query("""
                SELECT v.name AS variety,
                       SUM(p.juice_litres) / NULLIF(SUM(p.apples_kg), 0) AS litres_per_kg,
                       SUM(p.juice_litres) AS juice_litres
                FROM pressings p
                JOIN apple_varieties v ON v.id = p.variety_id
                WHERE p.season = ?
                GROUP BY v.name
                ORDER BY litres_per_kg DESC
                LIMIT 10
                """, new DataClassRowMapper<>(VarietyRank.class), season);

        redis.opsForValue().set(boardKey, json.writeValueAsString(board), LEADERBOARD_TTL);
        return board;
    }

    public List<MemberPressing> myPressings(long memberId, int page, int pageSize) {
        int size = Math.min(Math.max(pageSize, 1), 50);
        return jdbc.query(
                "SELECT id, pressed_on, variety_id, apples_kg, juice_litres FROM pressings "
                        + "WHERE member_id = ? ORDER BY pressed_on DESC LIMIT ? OFFSET ?",
                new DataClassRowMapper<>(MemberPressing.class), memberId, size, page * size);
    }

    public record SeasonTotals(long pressings, double applesKg, double juiceLitres, long bottles,
                               Double meanGravity, long membersPressing) {}

    public record VarietyRank(String variety, Double litresPerKg, double juiceLitres) {}

    public record MemberPressing(long id, java.time.LocalDate pressedOn, long varietyId,
                                 double applesKg, double juiceLitres) {}
}
