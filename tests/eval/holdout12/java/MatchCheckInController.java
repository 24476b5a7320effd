package gg.brackethub.tourney.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

/*
 * Check-in + standings for the open qualifier.
 * Deployed as tourney-api: 4 pods (HPA max 8) behind nginx ingress, proxy-read-timeout 30s.
 */
@RestController
@RequestMapping("/api/tournaments/{tournamentId}")
public class MatchCheckInController {

    private static final int ROSTER_SIZE = 5;

    // matchId:teamId -> players who pressed "ready" in the lobby
    private final Map<String, Set<Long>> readyChecks = new ConcurrentHashMap<>();

    private final Cache<Long, List<StandingRow>> standings = Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfterWrite(Duration.ofSeconds(20))
            .build();

    private final JdbcTemplate jdbc;
    private final MatchService matches;
    private final TeamRepository teams;
    private final RiotRankClient riot;

    public MatchCheckInController(JdbcTemplate jdbc, MatchService matches, TeamRepository teams, RiotRankClient riot) {
        this.jdbc = jdbc;
        this.matches = matches;
        this.teams = teams;
        this.riot = riot;
    }

    @PostMapping("/matches/{matchId}/teams/{teamId}/ready")
    public ResponseEntity<ReadyState> ready(@PathVariable long matchId, @PathVariable long teamId,
                                            @RequestParam long playerId) {
        Set<Long> ready = readyChecks.computeIfAbsent(matchId + ":" + teamId, k -> ConcurrentHashMap.newKeySet());
        ready.add(playerId);
        boolean teamReady = ready.size() >= ROSTER_SIZE;
        if (teamReady) {
            matches.markTeamReady(matchId, teamId);
        }
        return ResponseEntity.ok(new ReadyState(ready.size(), ROSTER_SIZE, teamReady));
    }

    @GetMapping("/standings")
    public List<StandingRow> standings(@PathVariable long tournamentId) {
        return standings.get(tournamentId, this::loadStandings);
    }

    private List<StandingRow> loadStandings(long tournamentId) {
        return jdbc.query("""
                SELECT t.id, t.name,
                       COUNT(*) FILTER (WHERE m.winner_team_id = t.id) AS wins,
                       COUNT(*) FILTER (WHERE m.winner_team_id <> t.id) AS losses,
                       SUM(g.rounds_won) - SUM(g.rounds_lost)            AS round_diff
                  FROM teams t
                  JOIN match_teams mt ON mt.team_id = t.id
                  JOIN matches m      ON m.id = mt.match_id AND m.status = 'FINISHED'
                  JOIN game_results g ON g.match_id = m.id AND g.team_id = t.id
                 WHERE t.tournament_id = ?
                 GROUP BY t.id, t.name
                 ORDER BY wins DESC, round_diff DESC
                """, StandingRow.MAPPER, tournamentId);
    }

    /** Admin button: re-pull solo-queue ranks for every rostered player and reseed the bracket. */
    @PostMapping("/seeding/refresh")
    public SeedingResult refreshSeeding(@PathVariable long tournamentId) throws InterruptedException {
        List<Team> roster = teams.findByTournamentIdWithPlayers(tournamentId); // ~256 teams
        List<TeamRating> ratings = new ArrayList<>();
        for (Team team : roster) {
            int total = 0;
            for (Player p : team.getPlayers()) {
                RankInfo rank = riot.fetchRank(p.getRegion(), p.getPuuid());
                total += rank.toLp();
                Thread.sleep(60); // dev key: 20 req/s
            }
            ratings.add(new TeamRating(team.getId(), total / Math.max(1, team.getPlayers().size())));
        }
        return matches.reseed(tournamentId, ratings);
    }
}
