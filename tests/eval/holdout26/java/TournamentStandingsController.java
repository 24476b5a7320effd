package club.duplicatebridge.standings;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import club.duplicatebridge.security.ClubMember;

/**
 * Live standings for duplicate pairs tournaments. Matchpoint totals are precomputed into
 * tournament_standings by the refresh job below, so a page view is a single indexed read.
 * One deployment serves many bridge clubs; the club always comes from the signed-in member.
 */
@RestController
public class TournamentStandingsController {

    private static final Logger log = LoggerFactory.getLogger(TournamentStandingsController.class);
    private static final int MAX_PAGE_SIZE = 100;

    public record StandingRow(int rank, int pairNo, String players, double matchpoints, double percentage) {}

    private final JdbcTemplate jdbc;

    // Bounded and short-lived; Caffeine's get(key, loader) runs one load per key at a time.
    private final Cache<String, List<StandingRow>> pageCache = Caffeine.newBuilder()
            .maximumSize(2_000)
            .expireAfterWrite(Duration.ofSeconds(30))
            .build();

    public TournamentStandingsController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/tournaments/{tournamentId}/standings")
    public List<StandingRow> standings(@AuthenticationPrincipal ClubMember member,
                                       @PathVariable long tournamentId,
                                       @RequestParam(defaultValue = "0") int page,
                                       @RequestParam(defaultValue = "50") int size) {
        long clubId = member.clubId();
        int limit = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
        int offset = Math.max(0, page) * limit;
        String key = clubId + ":" + tournamentId + ":" + offset + ":" + limit;

        return pageCache.get(key, k -> jdbc.query(
                "SELECT rank, pair_no, players, matchpoints, percentage FROM tournament_standings "
                        + "WHERE club_id = ? AND tournament_id = ? ORDER BY rank LIMIT ? OFFSET ?",
                (rs, i) -> new StandingRow(rs.getInt("rank"), rs.getInt("pair_no"), rs.getString("players"),
                        rs.getDouble("matchpoints"), rs.getDouble("percentage")),
                clubId, tournamentId, limit, offset));
    }

    /**
     * Recomputes standings for tournaments that had boards scored in the last few minutes.
     * Set-based and keyed by club_id, so each club's rows are computed from its own boards only.
     */
    @Scheduled(fixedDelay = 20_000)
    public void refreshLiveStandings() {
        int rows = jdbc.update("""
                INSERT INTO tournament_standings (club_id, tournament_id, pair_no, players, matchpoints, percentage, rank)
                SELECT s.club_id, s.tournament_id, s.pair_no, p.players,
                       sum(s.matchpoints),
                       100.0 * sum(s.matchpoints) / NULLIF(sum(s.top), 0),
                       rank() OVER (PARTITION BY s.club_id, s.tournament_id ORDER BY sum(s.matchpoints) DESC)
                FROM board_scores s
                JOIN pairs p ON p.club_id = s.club_id AND p.tournament_id = s.tournament_id AND p.pair_no = s.pair_no
                WHERE (s.club_id, s.tournament_id) IN (
                    SELECT club_id, tournament_id FROM board_scores WHERE scored_at > now() - interval '5 minutes')
                GROUP BY s.club_id, s.tournament_id, s.pair_no, p.players
                ON CONFLICT (club_id, tournament_id, pair_no)
                DO UPDATE SET matchpoints = EXCLUDED.matchpoints, percentage = EXCLUDED.percentage, rank = EXCLUDED.rank
                """);
        if (rows > 0) {
            log.debug("refreshed {} standing rows", rows);
        }
    }
}
