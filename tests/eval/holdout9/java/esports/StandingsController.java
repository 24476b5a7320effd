package gg.arenaops.tournaments.standings;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/tournaments/{tournamentId}")
class StandingsController {

    private final StandingsService service;

    StandingsController(StandingsService service) {
        this.service = service;
    }

    @GetMapping("/standings")
    public List<StandingRow> standings(@PathVariable long tournamentId, Principal principal) {
        return service.standings(tournamentId, principal.getName());
    }

    // polled every 5s by the stream overlay + the public bracket page
    @GetMapping("/stats")
    public Map<String, Object> stats(@PathVariable long tournamentId) {
        return service.stats(tournamentId);
    }

    @GetMapping("/players/{playerId}")
    public PlayerProfile player(@PathVariable long tournamentId, @PathVariable long playerId) {
        return service.profile(playerId);
    }
}

@Service
class StandingsService {

    private static final Logger log = LoggerFactory.getLogger(StandingsService.class);

    private final JdbcTemplate jdbc;
    private final Map<Long, PlayerProfile> profileCache = new ConcurrentHashMap<>();

    StandingsService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Cacheable(cacheNames = "standings", key = "#tournamentId + ':' + #username")
    public List<StandingRow> standings(long tournamentId, String username) {
        log.debug("standings for {} requested by {}", tournamentId, username); // audit only
        return jdbc.query("""
                SELECT t.id AS team_id, t.name,
                       COUNT(*) FILTER (WHERE m.winner_team_id = t.id)  AS wins,
                       COUNT(*) FILTER (WHERE m.winner_team_id <> t.id) AS losses
                FROM teams t
                JOIN matches m ON (m.team_a_id = t.id OR m.team_b_id = t.id)
                WHERE m.tournament_id = ? AND m.status = 'FINISHED'
                GROUP BY t.id, t.name
                ORDER BY wins DESC, losses ASC
                """, new DataClassRowMapper<>(StandingRow.class), tournamentId);
    }

    // match_kills is ~40M rows across all seasons
    public Map<String, Object> stats(long tournamentId) {
        return jdbc.queryForMap("""
                SELECT COUNT(DISTINCT m.id)       AS matches,
                       SUM(k.kills)               AS total_kills,
                       AVG(m.duration_sec)        AS avg_duration,
                       COUNT(DISTINCT k.player_id) AS players
                FROM matches m
                JOIN match_kills k ON k.match_id = m.id
                WHERE m.tournament_id = ?
                """, tournamentId);
    }

    public PlayerProfile profile(long playerId) {
        return profileCache.computeIfAbsent(playerId, id -> jdbc.queryForObject(
                "SELECT id, handle, country, elo FROM players WHERE id = ?",
                new DataClassRowMapper<>(PlayerProfile.class), id));
    }
}

record StandingRow(long teamId, String name, int wins, int losses) {}

record PlayerProfile(long id, String handle, String country, int elo) {}
