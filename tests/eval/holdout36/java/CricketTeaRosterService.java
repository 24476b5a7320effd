package org.villagecricket.teas;

import java.time.LocalDate;
import java.util.List;

import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Tea rota for home fixtures. Each club on the platform has its own rota; a
 * member volunteers for a fixture's teas, and the tea captain tallies how many
 * rounds of sandwiches were made so next season's budget is realistic.
 */
@Service
public class CricketTeaRosterService {

    private static final int MAX_PAGE_SIZE = 50;

    private final JdbcTemplate jdbc;

    public CricketTeaRosterService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims the teas for a fixture. The slot only changes hands if nobody holds
     * it yet, so two members tapping "I'll do teas" at once get one winner.
     */
    public void volunteer(long clubId, long fixtureId, long memberId) {
        int claimed = jdbc.update(
                "UPDATE tea_rota SET volunteer_id = ?, claimed_at = now() "
                        + "WHERE club_id = ? AND fixture_id = ? AND volunteer_id IS NULL",
                memberId, clubId, fixtureId);
        if (claimed == 0) {
            throw new TeaSlotTakenException(fixtureId);
        }
    }

    /** Only the member who volunteered can hand the teas back. */
    public void withdraw(long clubId, long fixtureId, long memberId) {
        int released = jdbc.update(
                "UPDATE tea_rota SET volunteer_id = NULL, claimed_at = NULL "
                        + "WHERE club_id = ? AND fixture_id = ? AND volunteer_id = ?",
                clubId, fixtureId, memberId);
        if (released == 0) {
            throw new NotYourTeaSlotException(fixtureId, memberId);
        }
    }

    /** The tea captain adds rounds as plates go out; the database does the arithmetic. */
    public int addSandwichRounds(long clubId, long fixtureId, int rounds) {
        List<Integer> totals = jdbc.queryForList(
                "UPDATE tea_rota SET sandwich_rounds = sandwich_rounds + ? "
                        + "WHERE club_id = ? AND fixture_id = ? RETURNING sandwich_rounds",
                Integer.class, rounds, clubId, fixtureId);
        if (totals.isEmpty()) {
            throw new FixtureNotFoundException(fixtureId);
        }
        return totals.get(0);
    }

    public List<TeaRotaRow> upcoming(long clubId, LocalDate from, int page, int pageSize) {
        int size = Math.min(Math.max(pageSize, 1), MAX_PAGE_SIZE);
        return jdbc.query(
                "SELECT f.id AS fixture_id, f.play_date, f.opposition, m.display_name AS volunteer, r.sandwich_rounds "
                        + "FROM fixtures f "
                        + "JOIN tea_rota r ON r.fixture_id = f.id AND r.club_id = f.club_id "
                        + "LEFT JOIN members m ON m.id = r.volunteer_id AND m.club_id = f.club_id "
                        + "WHERE f.club_id = ? AND f.play_date >= ? AND f.home = true "
                        + "ORDER BY f.play_date LIMIT ? OFFSET ?",
                new DataClassRowMapper<>(TeaRotaRow.class), clubId, from, size, page * size);
    }

    public record TeaRotaRow(long fixtureId, LocalDate playDate, String opposition,
                             String volunteer, int sandwichRounds) {}
}
