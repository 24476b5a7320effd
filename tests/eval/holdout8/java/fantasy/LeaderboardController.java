package com.draftroom.web;

import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.*;

// TODO split into services some day
@RestController
@RequestMapping("/api")
public class LeaderboardController {

    @Autowired
    JdbcTemplate jdbc;

    static final String GLOBAL_SQL =
        "SELECT u.id, u.username, SUM(pgs.fantasy_points) AS pts " +
        "FROM users u " +
        "JOIN fantasy_teams ft ON ft.owner_id = u.id " +
        "JOIN lineup_slots ls ON ls.team_id = ft.id " +
        "JOIN player_game_stats pgs ON pgs.player_id = ls.player_id AND pgs.week = ls.week " +
        "WHERE ft.season = ? " +
        "GROUP BY u.id, u.username " +
        "ORDER BY pts DESC LIMIT 100";

    // global top 100, shown on the landing page + every team page sidebar
    @GetMapping("/leaderboard")
    public List<Map<String, Object>> global(@RequestParam(defaultValue = "2024") int season) {
        return jdbc.queryForList(GLOBAL_SQL, season);
    }

    // league standings come from the league_standings table, rebuilt by refreshStandings() below
    @GetMapping("/leagues/{leagueId}/standings")
    public List<Map<String, Object>> standings(@PathVariable long leagueId) {
        return jdbc.queryForList(
            "SELECT team_id, team_name, wins, losses, points_for FROM league_standings " +
            "WHERE league_id = ? ORDER BY wins DESC, points_for DESC", leagueId);
    }

    // player research page (client does sorting/filtering)
    @GetMapping("/players/stats")
    public List<Map<String, Object>> playerStats(@RequestParam int season) {
        return jdbc.queryForList("SELECT * FROM player_game_stats WHERE season = ? ORDER BY week, player_id", season);
    }

    @GetMapping("/leagues/{leagueId}/teams")
    public List<Map<String, Object>> teams(@PathVariable long leagueId) {
        // max 16 teams per league (enforced on join)
        return jdbc.queryForList("SELECT id, name, owner_id FROM fantasy_teams WHERE league_id = ? LIMIT 16", leagueId);
    }

    @Scheduled(cron = "0 */10 * * * *")
    public void refreshStandings() {
        jdbc.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY league_standings");
    }
}
