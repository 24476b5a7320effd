package uk.villagehall.panto.holds;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Seat holds for the village pantomime. A family picks seats on the hall plan and
 * we hold them for 10 minutes while they pay at the box-office page.
 */
@Service
public class PantoSeatHoldService {

    private static final Logger log = LoggerFactory.getLogger(PantoSeatHoldService.class);
    private static final Duration HOLD_FOR = Duration.ofMinutes(10);

    public static class SeatsUnavailableException extends RuntimeException {
        public SeatsUnavailableException(List<String> seats) {
            super("Seats no longer available: " + seats);
        }
    }

    private final NamedParameterJdbcTemplate db;

    public PantoSeatHoldService(NamedParameterJdbcTemplate db) {
        this.db = db;
    }

    @Transactional
    public UUID hold(long performanceId, List<String> seatCodes, String basketId) {
        if (seatCodes.isEmpty() || seatCodes.size() > 12) {
            throw new IllegalArgumentException("Choose between 1 and 12 seats");
        }
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("perf", performanceId)
                .addValue("codes", seatCodes);

        // Lock the requested seats so two baskets can't both see them as free.
        List<Map<String, Object>> rows = db.queryForList("""
                SELECT seat_code, status FROM panto_seats
                 WHERE performance_id = :perf AND seat_code IN (:codes)
                 ORDER BY seat_code
                   FOR UPDATE
                """, params);

        List<String> taken = rows.stream()
                .filter(r -> !"AVAILABLE".equals(r.get("status")))
                .map(r -> (String) r.get("seat_code"))
                .toList();
        if (rows.size() != seatCodes.size() || !taken.isEmpty()) {
            throw new SeatsUnavailableException(taken.isEmpty() ? seatCodes : taken);
        }

        UUID holdId = UUID.randomUUID();
        db.update("""
                INSERT INTO seat_holds (id, performance_id, basket_id, expires_at)
                VALUES (:id, :perf, :basket, now() + make_interval(secs => :ttl))
                """, params.addValue("id", holdId).addValue("basket", basketId)
                        .addValue("ttl", HOLD_FOR.toSeconds()));
        db.update("""
                UPDATE panto_seats SET status = 'HELD', hold_id = :id
                 WHERE performance_id = :perf AND seat_code IN (:codes)
                """, params);
        return holdId;
    }

    /**
     * Releases lapsed holds. Paid holds are turned into tickets and removed by
     * CheckoutService, so anything still here after expiry was abandoned. Safe to run on every instance at once: each batch locks
     * its rows with SKIP LOCKED, so instances work on different holds.
     */
    @Scheduled(fixedDelay = 60_000)
    @Transactional
    public void releaseExpiredHolds() {
        List<UUID> expired = db.queryForList("""
                SELECT id FROM seat_holds
                 WHERE expires_at < now()
                 ORDER BY expires_at
                 LIMIT 500
                   FOR UPDATE SKIP LOCKED
                """, Map.of(), UUID.class);
        if (expired.isEmpty()) {
            return;
        }
        MapSqlParameterSource ids = new MapSqlParameterSource("ids", expired);
        db.update("UPDATE panto_seats SET status = 'AVAILABLE', hold_id = NULL WHERE hold_id IN (:ids)", ids);
        int deleted = db.update("DELETE FROM seat_holds WHERE id IN (:ids)", ids);
        log.info("Released {} lapsed panto seat holds", deleted);
    }
}
