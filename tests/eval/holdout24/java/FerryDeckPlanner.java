package uk.islandferries.deck;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Assigns vehicles to deck lanes for a sailing.
 *
 * Each lane has a usable length and a height limit (the mezzanine lanes take cars
 * only). Check-in staff on both ports use the planner at the same time, so lane
 * capacity is reserved under a row lock on the lane.
 */
@Service
public class FerryDeckPlanner {

    private static final Logger log = LoggerFactory.getLogger(FerryDeckPlanner.class);

    /** Gap left between vehicles when the deck crew packs a lane. */
    private static final int GAP_CM = 40;

    private final JdbcTemplate jdbc;

    public FerryDeckPlanner(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Vehicle(String bookingRef, String registration, int lengthCm, int heightCm) {}

    public record LaneAssignment(long sailingId, int laneNo, String bookingRef) {}

    @Transactional
    public Optional<LaneAssignment> assign(long sailingId, Vehicle v) {
        int needed = v.lengthCm() + GAP_CM;

        // Pick the emptiest lane that fits, and lock it until we commit.
        List<Integer> lanes = jdbc.queryForList(
            "SELECT lane_no FROM deck_lanes " +
            "WHERE sailing_id = ? AND max_height_cm >= ? AND remaining_cm >= ? " +
            "ORDER BY remaining_cm DESC LIMIT 1 FOR UPDATE",
            Integer.class, sailingId, v.heightCm(), needed);

        if (lanes.isEmpty()) {
            log.info("no lane fits {} ({} cm) on sailing {}", v.registration(), v.lengthCm(), sailingId);
            return Optional.empty();
        }
        int laneNo = lanes.get(0);

        int updated = jdbc.update(
            "UPDATE deck_lanes SET remaining_cm = remaining_cm - ? " +
            "WHERE sailing_id = ? AND lane_no = ? AND remaining_cm >= ?",
            needed, sailingId, laneNo, needed);
        if (updated != 1) {
            // Cannot happen while we hold the row lock, but never over-pack a lane.
            throw new IllegalStateException("lane " + laneNo + " no longer has room");
        }

        // uq_deck_alloc_booking (sailing_id, booking_ref) rejects a second allocation for
        // the same booking; the exception rolls back the lane update above.
        jdbc.update(
            "INSERT INTO deck_allocations (sailing_id, lane_no, booking_ref, registration, length_cm) " +
            "VALUES (?, ?, ?, ?, ?)",
            sailingId, laneNo, v.bookingRef(), v.registration(), v.lengthCm());

        return Optional.of(new LaneAssignment(sailingId, laneNo, v.bookingRef()));
    }

    /** Frees the lane space when a booking is cancelled or moved to another sailing. */
    @Transactional
    public int release(long sailingId, String bookingRef) {
        return jdbc.update(
            "WITH freed AS (" +
            "  DELETE FROM deck_allocations WHERE sailing_id = ? AND booking_ref = ? " +
            "  RETURNING lane_no, length_cm) " +
            "UPDATE deck_lanes l SET remaining_cm = l.remaining_cm + f.length_cm + ? " +
            "FROM freed f WHERE l.sailing_id = ? AND l.lane_no = f.lane_no",
            sailingId, bookingRef, GAP_CM, sailingId);
    }
}
