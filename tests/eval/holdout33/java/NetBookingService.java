package uk.org.ashcombecc.nets;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Net bookings for the bowling-machine lane and the three open nets.
 *
 * Members pick a lane and a 30-minute slot. A hold is placed while they confirm
 * (juniors need a coach to countersign), and the hold is then turned into a booking.
 */
@Service
public class NetBookingService {

    private static final Logger log = LoggerFactory.getLogger(NetBookingService.class);
    private static final int HOLD_MINUTES = 10;

    private final JdbcTemplate jdbc;
    private final ClubMailer mailer;

    public NetBookingService(JdbcTemplate jdbc, ClubMailer mailer) {
        this.jdbc = jdbc;
        this.mailer = mailer;
    }

    public record SlotView(long slotId, LocalDateTime startsAt, boolean free) {}

    /** One lane, one evening: at most eight half-hour slots. */
    public List<SlotView> evening(long laneId, LocalDateTime from) {
        return jdbc.query(
            "SELECT s.id, s.starts_at, (b.id IS NULL AND h.id IS NULL) AS free " +
            "FROM net_slots s " +
            "LEFT JOIN net_bookings b ON b.slot_id = s.id " +
            "LEFT JOIN net_holds h ON h.slot_id = s.id AND h.expires_at > now() AND NOT h.confirmed " +
            "WHERE s.lane_id = ? AND s.starts_at >= ? ORDER BY s.starts_at LIMIT 8",
            (rs, i) -> new SlotView(rs.getLong("id"),
                rs.getObject("starts_at", LocalDateTime.class), rs.getBoolean("free")),
            laneId, from);
    }

    @Transactional
    public UUID placeHold(long slotId, long memberId) {
        Integer held = jdbc.queryForObject(
            "SELECT count(*) FROM net_holds WHERE slot_id = ? AND expires_at > now() AND NOT confirmed",
            Integer.class, slotId);
        Integer booked = jdbc.queryForObject(
            "SELECT count(*) FROM net_bookings WHERE slot_id = ?", Integer.class, slotId);

        if (held > 0 || booked > 0) {
            throw new SlotTakenException(slotId);
        }

        UUID holdId = UUID.randomUUID();
        jdbc.update(
            "INSERT INTO net_holds (id, slot_id, member_id, expires_at, confirmed) VALUES (?, ?, ?, ?, false)",
            holdId, slotId, memberId, Instant.now().plus(HOLD_MINUTES, ChronoUnit.MINUTES));
        log.info("hold {} placed on slot {} for member {}", holdId, slotId, memberId);
        return holdId;
    }

    @Transactional
    public long confirm(UUID holdId, long memberId) {
        int updated = jdbc.update(
            "UPDATE net_holds SET confirmed = true WHERE id = ? AND member_id = ? AND expires_at > now() AND NOT confirmed",
            holdId, memberId);
        if (updated == 0) {
            throw new HoldExpiredException(holdId);
        }

        Long bookingId = jdbc.queryForObject(
            "INSERT INTO net_bookings (slot_id, member_id, booked_at) " +
            "SELECT slot_id, member_id, now() FROM net_holds WHERE id = ? RETURNING id",
            Long.class, holdId);

        try {
            mailer.sendNetConfirmation(memberId, bookingId);
        } catch (Exception e) {
            // confirmation email is a nice-to-have, the booking already stands
        }
        return bookingId;
    }
}
