package uk.churchtrails.rubbing.service;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import uk.churchtrails.rubbing.model.PlaceHold;
import uk.churchtrails.rubbing.model.VisitorPlace;
import uk.churchtrails.rubbing.service.errors.HoldExpiredException;
import uk.churchtrails.rubbing.service.errors.WorkshopFullException;

/**
 * Places on the Saturday brass rubbing workshops. Each church runs its own
 * workshops; capacity is limited by the number of brasses (and the heel ball
 * supply), so a place is held for 15 minutes while the visitor pays the
 * materials fee and then confirmed.
 */
@Service
public class RubbingWorkshopPlaceService {

    private static final Duration HOLD_FOR = Duration.ofMinutes(15);

    private final JdbcTemplate jdbc;

    public RubbingWorkshopPlaceService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public PlaceHold holdPlace(long churchId, long workshopId, long visitorId) {
        Integer free = jdbc.queryForObject("SELECT w.capacity - count(p.id) AS free FROM rubbing_workshops w "
                        + "LEFT JOIN workshop_places p ON p.workshop_id = w.id "
                        + "  AND (p.status = 'CONFIRMED' OR (p.status = 'HELD' AND p.expires_at > now())) "
                        + "WHERE w.id = ? AND w.church_id = ? GROUP BY w.capacity",
                Integer.class, workshopId, churchId);

        if (free == null || free <= 0) {
            throw new WorkshopFullException(workshopId);
        }

        Instant expiresAt = Instant.now().plus(HOLD_FOR);
        Long placeId = jdbc.queryForObject("INSERT INTO workshop_places (church_id, workshop_id, visitor_id, status, expires_at) "
                + "VALUES (?, ?, ?, 'HELD', ?) RETURNING id",
                Long.class, churchId, workshopId, visitorId, Timestamp.from(expiresAt));

        return new PlaceHold(placeId, workshopId, expiresAt);
    }

    /** Called from the payment return page once the materials fee has been taken. */
    @Transactional
    public void confirm(long churchId, long placeId, long visitorId) {
        int updated = jdbc.update(
                "UPDATE workshop_places SET status = 'CONFIRMED', confirmed_at = now() "
                        + "WHERE id = ? AND church_id = ? AND visitor_id = ? AND status = 'HELD' AND expires_at > now()",
                placeId, churchId, visitorId);
        if (updated == 0) {
            throw new HoldExpiredException(placeId);
        }
    }

    @Transactional
    public void cancel(long churchId, long placeId, long visitorId) {
        jdbc.update("UPDATE workshop_places SET status = 'CANCELLED' WHERE id = ? AND church_id = ? AND visitor_id = ?",
                placeId, churchId, visitorId);
    }

    /** "My workshops" page: a visitor rarely has more than a few bookings, capped anyway. */
    public List<VisitorPlace> placesFor(long churchId, long visitorId) {
        return jdbc.query(
                "SELECT p.id, w.title, w.starts_at, p.status FROM workshop_places p "
                        + "JOIN rubbing_workshops w ON w.id = p.workshop_id AND w.church_id = p.church_id "
                        + "WHERE p.church_id = ? AND p.visitor_id = ? AND p.status <> 'CANCELLED' "
                        + "ORDER BY w.starts_at DESC LIMIT 50",
                (rs, i) -> new VisitorPlace(rs.getLong("id"), rs.getString("title"),
                        rs.getTimestamp("starts_at").toInstant(), rs.getString("status")),
                churchId, visitorId);
    }
}
