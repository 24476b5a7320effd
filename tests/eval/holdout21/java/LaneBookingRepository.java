package gov.millbrook.leisure.pool;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Lane bookings for the Riverside Lido lap-swim sessions.
 * Each lane_slots row is one lane for one 45-minute session with a fixed capacity
 * (usually 6 swimmers); lane_bookings has UNIQUE (slot_id, swimmer_id).
 */
@Repository
public class LaneBookingRepository {

    public enum Outcome { BOOKED, ALREADY_BOOKED }

    public record OpenLane(long slotId, int lane, OffsetDateTime startsAt, String speed, int freePlaces) {}

    /** Thrown inside the transaction so the booking row is rolled back; rendered as 409. */
    @ResponseStatus(HttpStatus.CONFLICT)
    public static final class LaneFullException extends RuntimeException {
        LaneFullException() { super("This lane is full for that session"); }
    }

    private final JdbcTemplate jdbc;

    public LaneBookingRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Sessions with free places in the next week, for the booking grid. */
    public List<OpenLane> openLanes(OffsetDateTime from, int limit) {
        return jdbc.query(
                "SELECT id, lane, starts_at, speed, capacity - booked AS free FROM lane_slots "
                        + "WHERE starts_at >= ? AND starts_at < ? + interval '7 days' AND booked < capacity "
                        + "ORDER BY starts_at, lane LIMIT ?",
                (rs, i) -> new OpenLane(rs.getLong("id"), rs.getInt("lane"),
                        rs.getObject("starts_at", OffsetDateTime.class), rs.getString("speed"), rs.getInt("free")),
                from, from, Math.min(limit, 200));
    }

    /**
     * Books a place. The unique key stops double-booking the same swimmer, and the
     * conditional UPDATE only succeeds while a place is left, so two swimmers racing
     * for the last place cannot both get it.
     */
    @Transactional
    public Outcome book(long slotId, long swimmerId) {
        int inserted = jdbc.update(
                "INSERT INTO lane_bookings (slot_id, swimmer_id, booked_at) VALUES (?, ?, now()) "
                        + "ON CONFLICT (slot_id, swimmer_id) DO NOTHING",
                slotId, swimmerId);
        if (inserted == 0) {
            return Outcome.ALREADY_BOOKED;
        }

        int claimed = jdbc.update(
                "UPDATE lane_slots SET booked = booked + 1 WHERE id = ? AND booked < capacity",
                slotId);
        if (claimed == 0) {
            throw new LaneFullException();
        }
        return Outcome.BOOKED;
    }

    @Transactional
    public boolean cancel(long slotId, long swimmerId) {
        int deleted = jdbc.update(
                "DELETE FROM lane_bookings WHERE slot_id = ? AND swimmer_id = ? AND slot_id IN "
                        + "(SELECT id FROM lane_slots WHERE starts_at > now() + interval '2 hours')",
                slotId, swimmerId);
        if (deleted == 0) {
            return false;
        }
        jdbc.update("UPDATE lane_slots SET booked = booked - 1 WHERE id = ? AND booked > 0", slotId);
        return true;
    }
}
