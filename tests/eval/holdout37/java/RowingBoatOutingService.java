package club.riverside.rowing.outings;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/**
 * Boat outings for the clubs on the river booking system. A member takes a boat
 * off the rack, rows, and signs it back in with the distance covered. Several
 * clubs share the database; every table carries club_id.
 */
@Service
public class RowingBoatOutingService {

    private static final int MAX_PAGE = 100;

    private final JdbcTemplate jdbc;

    public RowingBoatOutingService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes a boat off the rack. Two crews grabbing the same quad: the second gets a 409. */
    @Transactional
    public long launch(long clubId, long boatId, long memberId, String crewNote) {
        int taken = jdbc.update(
                "UPDATE boats SET status = 'OUT', out_with_member = ? " +
                "WHERE id = ? AND club_id = ? AND status = 'RACKED' AND damage_reported = false",
                memberId, boatId, clubId);
        if (taken != 1) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Boat is already out or flagged for repair");
        }
        return jdbc.queryForObject(
                "INSERT INTO outings (club_id, boat_id, member_id, crew_note, launched_at) " +
                "VALUES (?, ?, ?, ?, now()) RETURNING id",
                Long.class, clubId, boatId, memberId, crewNote);
    }

    /** Signs a boat back in and credits the distance to the member's season total. */
    @Transactional
    public void signIn(long clubId, long outingId, long memberId, BigDecimal distanceKm) {
        List<Long> boat = jdbc.queryForList(
                "UPDATE outings SET returned_at = now(), distance_km = ? " +
                "WHERE id = ? AND club_id = ? AND member_id = ? AND returned_at IS NULL RETURNING boat_id",
                Long.class, distanceKm, outingId, clubId, memberId);
        if (boat.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Outing already signed in");
        }
        jdbc.update("UPDATE boats SET status = 'RACKED', out_with_member = NULL WHERE id = ? AND club_id = ?",
                boat.get(0), clubId);
        jdbc.update("UPDATE members SET season_km = season_km + ? WHERE id = ? AND club_id = ?",
                distanceKm, memberId, clubId);
    }

    /** Outings list for the boathouse screen, newest first, keyset-paginated. */
    @Transactional(readOnly = true)
    public List<Map<String, Object>> recentOutings(long clubId, Long beforeId, int pageSize) {
        int limit = Math.min(Math.max(pageSize, 1), MAX_PAGE);
        return jdbc.queryForList(
                "SELECT o.id, b.name AS boat, m.display_name AS member, o.launched_at, o.returned_at, o.distance_km " +
                "FROM outings o " +
                "JOIN boats b ON b.id = o.boat_id AND b.club_id = o.club_id " +
                "JOIN members m ON m.id = o.member_id AND m.club_id = o.club_id " +
                "WHERE o.club_id = ? AND (? IS NULL OR o.id < ?) " +
                "ORDER BY o.id DESC LIMIT ?",
                clubId, beforeId, beforeId, limit);
    }
}
