package com.staylet.bookings;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Booking requests for rental units. A request creates a PENDING booking that the guest
 * has 15 minutes to pay for; unpaid requests are purged by {@link #purgeExpiredRequests()}.
 */
@Service
public class BookingService {

    private static final Logger log = LoggerFactory.getLogger(BookingService.class);
    private static final Duration PENDING_TTL = Duration.ofMinutes(15);

    private final JdbcTemplate jdbc;

    public BookingService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public long requestBooking(long unitId, long guestId, LocalDate checkIn, LocalDate checkOut) {
        // Lock the unit row: concurrent requests for the same unit queue up here until we commit.
        jdbc.queryForObject("SELECT id FROM units WHERE id = ? AND active FOR UPDATE", Long.class, unitId);

        Integer overlapping = jdbc.queryForObject("""
                SELECT count(*) FROM bookings
                WHERE unit_id = ?
                  AND daterange(check_in, check_out) && daterange(?, ?)
                  AND (status = 'CONFIRMED' OR (status = 'PENDING' AND expires_at > now()))
                """, Integer.class, unitId, Date.valueOf(checkIn), Date.valueOf(checkOut));
        if (overlapping != null && overlapping > 0) {
            throw new UnitUnavailableException(unitId, checkIn, checkOut);
        }

        KeyHolder kh = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(
                    "INSERT INTO bookings (unit_id, guest_id, check_in, check_out, status, expires_at) "
                            + "VALUES (?, ?, ?, ?, 'PENDING', ?)", new String[] {"id"});
            ps.setLong(1, unitId);
            ps.setLong(2, guestId);
            ps.setDate(3, Date.valueOf(checkIn));
            ps.setDate(4, Date.valueOf(checkOut));
            ps.setTimestamp(5, Timestamp.from(Instant.now().plus(PENDING_TTL)));
            return ps;
        }, kh);
        return kh.getKey().longValue();
    }

    @Transactional
    public void confirmPaid(long bookingId, long guestId) {
        int n = jdbc.update("""
                UPDATE bookings SET status = 'CONFIRMED', expires_at = NULL, confirmed_at = now()
                WHERE id = ? AND guest_id = ? AND status = 'PENDING' AND expires_at > now()
                """, bookingId, guestId);
        if (n == 0) {
            throw new BookingExpiredException(bookingId);
        }
    }

    /** Runs on every instance; the DELETE is idempotent so overlapping runs are harmless. */
    @Scheduled(fixedDelayString = "PT1M")
    public void purgeExpiredRequests() {
        int n = jdbc.update(
                "DELETE FROM bookings WHERE status = 'PENDING' AND expires_at < now() - interval '1 hour'");
        if (n > 0) {
            log.info("purged {} expired booking requests", n);
        }
    }

    public List<BookingView> upcomingForGuest(long guestId, int limit) {
        return jdbc.query("""
                SELECT b.id, b.unit_id, u.title, b.check_in, b.check_out, b.status
                FROM bookings b JOIN units u ON u.id = b.unit_id
                WHERE b.guest_id = ? AND b.check_out >= current_date
                ORDER BY b.check_in
                LIMIT ?
                """, BookingView.ROW_MAPPER, guestId, Math.min(Math.max(limit, 1), 50));
    }
}
