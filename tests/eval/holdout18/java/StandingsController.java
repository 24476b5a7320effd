package org.derbyleague.stats.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.*;

/**
 * Public stats for the league site + the scoreboard TVs in the venue bar.
 * stats-api runs 4 pods; cache + redis are shared (spring.cache.type=redis).
 */
@RestController
@RequestMapping("/api/leagues/{leagueId}")
public class StandingsController {

    public record StandingRow(long teamId, String team, int played, int wins, int losses, int pointDiff) {}
    public record JammerRow(long playerId, String derbyName, String team, int leads, int points, double avgPerJam) {}

    private static final String STANDINGS_SQL = """
            SELECT t.id AS team_id, t.name AS team,
                   COUNT(*) AS played,
                   COUNT(*) FILTER (WHERE r.score_for > r.score_against) AS wins,
                   COUNT(*) FILTER (WHERE r.score_for < r.score_against) AS losses,
                   SUM(r.score_for - r.score_against) AS point_diff
              FROM bout_results r
              JOIN teams t ON t.id = r.team_id
             WHERE r.league_id = ? AND r.season = ?
             GROUP BY t.id, t.name
             ORDER BY wins DESC, point_diff DESC
            """;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;

    public StandingsController(JdbcTemplate jdbc, StringRedisTemplate redis, ObjectMapper json) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.json = json;
    }

    @GetMapping("/seasons/{season}/standings")
    @Cacheable(cacheNames = "standings", key = "#user.username + ':' + #leagueId + ':' + #season")
    public List<StandingRow> standings(@AuthenticationPrincipal UserDetails user,
                                       @PathVariable long leagueId,
                                       @PathVariable int season) {
        return jdbc.query(STANDINGS_SQL, new DataClassRowMapper<>(StandingRow.class), leagueId, season);
    }

    @GetMapping("/seasons/{season}/jammers")
    public List<JammerRow> jammerLeaderboard(@PathVariable long leagueId, @PathVariable int season)
            throws JsonProcessingException {
        String key = "jammers:" + leagueId + ":" + season;
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return json.readValue(cached, new TypeReference<List<JammerRow>>() {});
        }

        List<JammerRow> rows = jdbc.query("""
                SELECT p.id AS player_id, p.derby_name, t.name AS team,
                       COUNT(*) FILTER (WHERE j.lead_jammer) AS leads,
                       SUM(j.points) AS points,
                       ROUND(AVG(j.points)::numeric, 2) AS avg_per_jam
                  FROM jams j
                  JOIN players p ON p.id = j.jammer_id
                  JOIN teams t   ON t.id = p.team_id
                  JOIN bouts b   ON b.id = j.bout_id
                 WHERE b.league_id = ? AND b.season = ?
                 GROUP BY p.id, p.derby_name, t.name
                 ORDER BY points DESC
                 LIMIT 50
                """, new DataClassRowMapper<>(JammerRow.class), leagueId, season);

        redis.opsForValue().set(key, json.writeValueAsString(rows), Duration.ofMinutes(2));
        return rows;
    }

    // Shown on the bar TVs; the page polls this every 10 seconds during bouts.
    @GetMapping("/penalty-board")
    public List<Map<String, Object>> penaltyBoard(@PathVariable long leagueId) {
        return jdbc.queryForList("""
                SELECT t.name AS team, pc.code, pc.description,
                       COUNT(*) AS total,
                       ROUND(COUNT(*)::numeric / NULLIF(COUNT(DISTINCT pe.bout_id), 0), 2) AS per_bout
                  FROM penalties pe
                  JOIN players p        ON p.id = pe.player_id
                  JOIN teams t          ON t.id = p.team_id
                  JOIN penalty_codes pc ON pc.code = pe.code
                  JOIN bouts b          ON b.id = pe.bout_id
                 WHERE b.league_id = ?
                 GROUP BY t.name, pc.code, pc.description
                 ORDER BY total DESC
                """, leagueId);
    }
}
