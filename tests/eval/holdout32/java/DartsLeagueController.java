package com.oche.league.api;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

// Oche hosts results for ~400 pub darts leagues; every table below carries league_id.
@RestController
@RequestMapping("/api/leagues/{leagueId}")
@PreAuthorize("@leagueAccess.canView(authentication, #leagueId)")
public class DartsLeagueController {

    private final NamedParameterJdbcTemplate db;

    public DartsLeagueController(NamedParameterJdbcTemplate db) {
        this.db = db;
    }

    public record StandingRow(long teamId, String teamName, int played, int won, int lost,
                              int legsFor, int legsAgainst, int points, double threeDartAverage,
                              int maximums) {}

    public record ResultRow(long matchId, String playedOn, String homeTeam, String awayTeam,
                            int homeLegs, int awayLegs) {}

    public record PlayerProfile(long id, String name, String teamName, double bestAverage,
                                int highestCheckout) {}

    /** League table shown on every team's home page and the league landing page. */
    @GetMapping("/table")
    public List<StandingRow> table(@PathVariable long leagueId) {
        String sql = """
                SELECT t.id, t.name,
                       COUNT(DISTINCT m.id)                                          AS played,
                       COUNT(DISTINCT m.id) FILTER (WHERE m.winner_team_id = t.id)   AS won,
                       COUNT(DISTINCT m.id) FILTER (WHERE m.winner_team_id <> t.id)  AS lost,
                       SUM(CASE WHEN l.winner_team_id = t.id THEN 1 ELSE 0 END)      AS legs_for,
                       SUM(CASE WHEN l.winner_team_id <> t.id THEN 1 ELSE 0 END)     AS legs_against,
                       2 * COUNT(DISTINCT m.id) FILTER (WHERE m.winner_team_id = t.id) AS points,
                       (SELECT AVG(v.score) * 3 FROM visits v
                          JOIN legs l2 ON l2.id = v.leg_id
                          JOIN matches m2 ON m2.id = l2.match_id
                         WHERE v.team_id = t.id AND m2.league_id = :leagueId)        AS three_dart_avg,
                       (SELECT COUNT(*) FROM visits v
                          JOIN legs l3 ON l3.id = v.leg_id
                          JOIN matches m3 ON m3.id = l3.match_id
                         WHERE v.team_id = t.id AND v.score = 180
                           AND m3.league_id = :leagueId)                             AS maximums
                  FROM teams t
                  JOIN matches m ON (m.home_team_id = t.id OR m.away_team_id = t.id)
                                AND m.league_id = :leagueId AND m.status = 'FINAL'
                  JOIN legs l ON l.match_id = m.id
                 WHERE t.league_id = :leagueId
                 GROUP BY t.id, t.name
                 ORDER BY points DESC, (legs_for - legs_against) DESC, t.name
                """;
        return db.query(sql, new MapSqlParameterSource("leagueId", leagueId),
                (rs, i) -> new StandingRow(rs.getLong("id"), rs.getString("name"), rs.getInt("played"),
                        rs.getInt("won"), rs.getInt("lost"), rs.getInt("legs_for"), rs.getInt("legs_against"),
                        rs.getInt("points"), rs.getDouble("three_dart_avg"), rs.getInt("maximums")));
    }

    /** Results tab: every match the league has played, newest first. */
    @GetMapping("/results")
    public List<ResultRow> results(@PathVariable long leagueId) {
        return db.query("""
                        SELECT m.id, m.played_on, h.name AS home, a.name AS away, m.home_legs, m.away_legs
                          FROM matches m
                          JOIN teams h ON h.id = m.home_team_id
                          JOIN teams a ON a.id = m.away_team_id
                         WHERE m.league_id = :leagueId AND m.status = 'FINAL'
                         ORDER BY m.played_on DESC
                        """,
                new MapSqlParameterSource("leagueId", leagueId),
                (rs, i) -> new ResultRow(rs.getLong("id"), rs.getString("played_on"), rs.getString("home"),
                        rs.getString("away"), rs.getInt("home_legs"), rs.getInt("away_legs")));
    }

    @GetMapping("/players/{playerId}")
    public ResponseEntity<PlayerProfile> player(@PathVariable long leagueId, @PathVariable long playerId) {
        List<PlayerProfile> found = db.query("""
                        SELECT p.id, p.name, t.name AS team, p.best_average, p.highest_checkout
                          FROM players p JOIN teams t ON t.id = p.team_id
                         WHERE p.id = :playerId
                        """,
                new MapSqlParameterSource("playerId", playerId),
                (rs, i) -> new PlayerProfile(rs.getLong("id"), rs.getString("name"), rs.getString("team"),
                        rs.getDouble("best_average"), rs.getInt("highest_checkout")));
        return found.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(found.get(0));
    }
}
