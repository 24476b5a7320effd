package club.ladder.service;

import club.ladder.domain.Challenge;
import club.ladder.domain.ChallengeStatus;
import club.ladder.domain.Match;
import club.ladder.repo.ClubMembershipService;
import club.ladder.repo.MatchRepository;
import club.ladder.repo.PlayerRepository;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

// Player entity as it is today (several clubs share one database, keyed by club_id)
@Entity
@Table(name = "players")
class Player {
    @Id Long id;
    @Column(name = "club_id") Long clubId;
    String displayName;
    int rating;
    int gamesPlayed;

    int getRating() { return rating; }
    void setRating(int r) { this.rating = r; }
    String getDisplayName() { return displayName; }
}

@Service
public class ChessLadderService {

    private final PlayerRepository players;
    private final MatchRepository matches;
    private final ClubMembershipService memberships;
    private final EntityManager em;

    public ChessLadderService(PlayerRepository players, MatchRepository matches,
                              ClubMembershipService memberships, EntityManager em) {
        this.players = players;
        this.matches = matches;
        this.memberships = memberships;
        this.em = em;
    }

    /** Results are reported by either player from the phone app after the game. */
    @Transactional
    public void recordResult(long clubId, long matchId, double whiteScore) {
        Match match = matches.findByIdAndClubId(matchId, clubId)
                .orElseThrow(() -> new IllegalArgumentException("unknown match " + matchId));

        Player white = players.findById(match.getWhiteId()).orElseThrow();
        Player black = players.findById(match.getBlackId()).orElseThrow();

        int delta = Elo.delta(white.getRating(), black.getRating(), whiteScore, 24);
        white.setRating(white.getRating() + delta);
        black.setRating(black.getRating() - delta);
        white.gamesPlayed++;
        black.gamesPlayed++;

        match.setWhiteScore(whiteScore);
        match.setPlayedAt(Instant.now());
        players.save(white);
        players.save(black);
        matches.save(match);
    }

    /** Open challenges list for the club notice board screen. */
    @Transactional(readOnly = true)
    public List<Challenge> openChallenges(long clubId, long viewerId) {
        memberships.requireMember(clubId, viewerId);
        return em.createQuery(
                        "SELECT c FROM Challenge c WHERE c.status = :status ORDER BY c.issuedAt DESC",
                        Challenge.class)
                .setParameter("status", ChallengeStatus.OPEN)
                .setMaxResults(50)
                .getResultList();
    }

    /** Weekly email digest: last week's games with player names. */
    @Transactional(readOnly = true)
    public List<String> weeklyDigestLines(long clubId, Instant since) {
        List<Match> recent = matches.findTop100ByClubIdAndPlayedAtAfterOrderByPlayedAtDesc(clubId, since);
        List<String> lines = new ArrayList<>(recent.size());
        for (Match m : recent) {
            Player w = players.findById(m.getWhiteId()).orElseThrow();
            Player b = players.findById(m.getBlackId()).orElseThrow();
            lines.add(String.format("%s %s %s", w.getDisplayName(),
                    Elo.scoreline(m.getWhiteScore()), b.getDisplayName()));
        }
        return lines;
    }
}
