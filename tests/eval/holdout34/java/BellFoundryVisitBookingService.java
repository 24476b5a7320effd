package uk.co.whitchurchbells.visits;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Guided visits to the bell foundry's casting floor. A visitor picks a slot,
 * we hold their places for 15 minutes while they fill in the safety form,
 * then the hold is confirmed or lapses.
 *
 * The booking app runs on two instances; limits live in Redis, holds in Postgres.
 */
@Service
public class BellFoundryVisitBookingService {

    private static final Logger log = LoggerFactory.getLogger(BellFoundryVisitBookingService.class);
    private static final Duration HOLD_FOR = Duration.ofMinutes(15);
    private static final int HOLDS_PER_MINUTE = 5;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;

    public BellFoundryVisitBookingService(JdbcTemplate jdbc, StringRedisTemplate redis) {
        this.jdbc = jdbc;
        this.redis = redis;
    }

    public static class TooManyRequestsException extends RuntimeException {}
    public static class SlotFullException extends RuntimeException {}

    /** Throttle per signed-in account, shared across both instances. */
    private void checkRate(long accountId) {
        String key = "rl:visit-hold:" + accountId;
        Long count = redis.opsForValue().increment(key);
        if (count != null && count == 1L) {
            redis.expire(key, Duration.ofMinutes(1));
        }
        if (count != null && count > HOLDS_PER_MINUTE) {
            throw new TooManyRequestsException();
        }
    }

    @Transactional
    public long holdPlaces(long accountId, long slotId, int visitors) {
        checkRate(accountId);

        // Lock the slot row so two visitors cannot both take the last places.
        Map<String, Object> slot = jdbc.queryForMap(
                "SELECT capacity, places_held FROM visit_slots WHERE id = ? FOR UPDATE", slotId);
        int capacity = ((Number) slot.get("capacity")).intValue();
        int held = ((Number) slot.get("places_held")).intValue();
        if (held + visitors > capacity) {
            throw new SlotFullException();
        }

        jdbc.update("UPDATE visit_slots SET places_held = places_held + ? WHERE id = ?", visitors, slotId);
        return jdbc.queryForObject(
                "INSERT INTO visit_holds (slot_id, account_id, places, expires_at) "
                        + "VALUES (?, ?, ?, now() + make_interval(mins => ?)) RETURNING id",
                Long.class, slotId, accountId, visitors, (int) HOLD_FOR.toMinutes());
    }

    @Transactional
    public boolean confirm(long accountId, long holdId) {
        return jdbc.update(
                "UPDATE visit_holds SET confirmed_at = now() "
                        + "WHERE id = ? AND account_id = ? AND confirmed_at IS NULL AND expires_at > now()",
                holdId, accountId) == 1;
    }

    /** Lapsed holds give their places back to the slot and are removed. */
    @Scheduled(fixedDelayString = "PT1M")
    @Transactional
    public void releaseExpiredHolds() {
        int released = jdbc.update(
                "WITH expired AS ("
                        + "  DELETE FROM visit_holds WHERE confirmed_at IS NULL AND expires_at < now() "
                        + "  RETURNING slot_id, places"
                        + "), per_slot AS (SELECT slot_id, SUM(places) AS places FROM expired GROUP BY slot_id) "
                        + "UPDATE visit_slots s SET places_held = s.places_held - p.places "
                        + "FROM per_slot p WHERE s.id = p.slot_id");
        if (released > 0) {
            log.info("released expired visit holds on {} slot(s)", released);
        }
    }
}
