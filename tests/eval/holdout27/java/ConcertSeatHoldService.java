package com.choirhub.concerts.seating;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Seat holds for community choir concerts. Many choirs share the platform, so every
 * query is scoped by choir_id as well as concert_id. The seating plan for a church or
 * village hall is a few hundred seats at most.
 */
@Service
public class ConcertSeatHoldService {

    private static final Logger log = LoggerFactory.getLogger(ConcertSeatHoldService.class);

    public record SeatView(String rowLabel, String seatLabel, boolean sold, boolean held) {}

    public static class SeatUnavailableException extends RuntimeException {
        public SeatUnavailableException(String seat) {
            super("Seat " + seat + " has just been taken");
        }
    }

    private final JdbcTemplate jdbc;

    public ConcertSeatHoldService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<SeatView> seatingPlan(long choirId, long concertId) {
        return jdbc.query(
                "SELECT row_label, seat_label, sold, (held_by IS NOT NULL AND hold_expires_at > now()) AS held "
                        + "FROM concert_seats WHERE choir_id = ? AND concert_id = ? "
                        + "ORDER BY row_label, seat_label LIMIT 1000",
                (rs, i) -> new SeatView(rs.getString("row_label"), rs.getString("seat_label"),
                        rs.getBoolean("sold"), rs.getBoolean("held")),
                choirId, concertId);
    }

    /**
     * Holds a seat for ten minutes. The WHERE clause is the availability check, so two
     * people clicking the same seat cannot both get it: the second update matches no row.
     */
    @Transactional
    public void hold(long choirId, long concertId, String seatLabel, UUID basketId) {
        int updated = jdbc.update(
                "UPDATE concert_seats SET held_by = ?, hold_expires_at = now() + interval '10 minutes' "
                        + "WHERE choir_id = ? AND concert_id = ? AND seat_label = ? AND NOT sold "
                        + "AND (held_by IS NULL OR hold_expires_at < now())",
                basketId, choirId, concertId, seatLabel);
        if (updated != 1) {
            throw new SeatUnavailableException(seatLabel);
        }
    }

    /** Turns the basket's live holds into sold seats once the payment has been captured. */
    @Transactional
    public int confirm(long choirId, long concertId, UUID basketId, int expectedSeats) {
        int sold = jdbc.update(
                "UPDATE concert_seats SET sold = true, held_by = NULL, hold_expires_at = NULL, sold_to = ? "
                        + "WHERE choir_id = ? AND concert_id = ? AND held_by = ? AND hold_expires_at > now()",
                basketId, choirId, concertId, basketId);
        if (sold != expectedSeats) {
            // Rolls back the whole confirmation; the checkout refunds and asks the buyer to reselect.
            throw new SeatUnavailableException(expectedSeats - sold + " of the basket's seats");
        }
        return sold;
    }

    /** Clears lapsed holds so the plan and the hold index stay small. */
    @Scheduled(fixedDelay = 60_000)
    public void releaseLapsedHolds() {
        int cleared = jdbc.update(
                "UPDATE concert_seats SET held_by = NULL, hold_expires_at = NULL "
                        + "WHERE held_by IS NOT NULL AND hold_expires_at < now()");
        if (cleared > 0) {
            log.debug("released {} lapsed seat holds", cleared);
        }
    }
}
