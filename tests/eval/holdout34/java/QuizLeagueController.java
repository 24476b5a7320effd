package org.valepubquiz.league.web;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

import org.valepubquiz.league.repo.TeamRepository;

/**
 * Score entry and league tables for the village pub quiz league.
 * Quizmasters submit round scores from the pub; the public site shows the tables.
 * Runs on 3 pods (see deploy/quiz-league/values.yaml) behind the ingress.
 */
@RestController
@RequestMapping("/api/league")
public class QuizLeagueController {

    public record ScoreSubmission(long teamId, long fixtureId, int round, int points) {}
    public record ResultLine(String team, String pub, int round, int points) {}

    private static final int MAX_SUBMISSIONS_PER_MINUTE = 20;

    private final JdbcTemplate jdbc;
    private final TeamRepository teams;

    // quizmaster login -> timestamps of recent submissions
    private final Map<String, Deque<Instant>> recentSubmissions = new ConcurrentHashMap<>();

    public QuizLeagueController(JdbcTemplate jdbc, TeamRepository teams) {
        this.jdbc = jdbc;
        this.teams = teams;
    }

    @PostMapping("/scores")
    public ResponseEntity<?> submitScore(Principal quizmaster, @RequestBody ScoreSubmission s) {
        Deque<Instant> window = recentSubmissions.computeIfAbsent(quizmaster.getName(), id -> new ArrayDeque<>());
        synchronized (window) {
            Instant cutoff = Instant.now().minus(Duration.ofMinutes(1));
            while (!window.isEmpty() && window.peekFirst().isBefore(cutoff)) {
                window.pollFirst();
            }
            if (window.size() >= MAX_SUBMISSIONS_PER_MINUTE) {
                return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
            }
            window.addLast(Instant.now());
        }

        jdbc.update("INSERT INTO round_scores (fixture_id, team_id, round_no, points) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (fixture_id, team_id, round_no) DO UPDATE SET points = EXCLUDED.points",
                s.fixtureId(), s.teamId(), s.round(), s.points());
        return ResponseEntity.noContent().build();
    }

    // All-time table on the league home page: every answer ever marked, across every season.
    @GetMapping("/all-time")
    public List<Map<String, Object>> allTimeTable() {
        return jdbc.queryForList(
                "SELECT t.name, COUNT(DISTINCT f.id) AS quizzes, SUM(a.points_awarded) AS points, AVG(a.points_awarded) AS avg_per_question, SUM(CASE WHEN a.category = 'MUSIC' THEN a.points_awarded ELSE 0 END) AS music_points FROM quiz_answers a JOIN fixtures f ON f.id = a.fixture_id JOIN teams t ON t.id = a.team_id GROUP BY t.name ORDER BY points DESC LIMIT 25");
    }

    // Results for one match night, shown on the pub's screen after the last round.
    @GetMapping("/fixtures/{fixtureId}/results")
    public List<ResultLine> results(@PathVariable long fixtureId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT team_id, round_no, points FROM round_scores WHERE fixture_id = ? ORDER BY round_no, points DESC",
                fixtureId);

        List<ResultLine> lines = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            long teamId = ((Number) row.get("team_id")).longValue();
            TeamRepository.Team team = teams.findById(teamId).orElseThrow();
            lines.add(new ResultLine(team.name(), team.homePub(),
                    ((Number) row.get("round_no")).intValue(),
                    ((Number) row.get("points")).intValue()));
        }
        return lines;
    }
}
