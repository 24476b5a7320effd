package com.stringfleet.rentals;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Violin rental fleet: when a parent picks an instrument size online we hold that violin
 * for 20 minutes while they fill in the rental agreement and pay the first month.
 *
 * The DataSource is the shared Hikari pool from application.yml (maximum-pool-size: 20).
 * Schema: rental_holds has UNIQUE (instrument_id) - at most one hold row per violin.
 */
@Service
public class InstrumentHoldService {

    private static final Logger log = LoggerFactory.getLogger(InstrumentHoldService.class);
    private static final Duration HOLD_FOR = Duration.ofMinutes(20);

    private final JdbcTemplate jdbc;

    public InstrumentHoldService(DataSource pooledDataSource) {
        this.jdbc = new JdbcTemplate(pooledDataSource);
    }

    /**
     * Takes the hold if the violin is free or its previous hold has lapsed.
     * Returns false when somebody else holds it right now.
     */
    @Transactional
    public boolean hold(long instrumentId, long customerId) {
        int rows = jdbc.update("""
                INSERT INTO rental_holds (instrument_id, customer_id, expires_at)
                VALUES (?, ?, now() + make_interval(mins => ?))
                ON CONFLICT (instrument_id) DO UPDATE
                    SET customer_id = EXCLUDED.customer_id,
                        expires_at  = EXCLUDED.expires_at
                    WHERE rental_holds.expires_at < now()
                """, instrumentId, customerId, (int) HOLD_FOR.toMinutes());
        return rows == 1;
    }

    /** Agreement signed and first month paid: turn the hold into a rental. */
    @Transactional
    public void convertToRental(long instrumentId, long customerId, long agreementId) {
        int deleted = jdbc.update(
                "DELETE FROM rental_holds WHERE instrument_id = ? AND customer_id = ? AND expires_at > now()",
                instrumentId, customerId);
        if (deleted == 0) {
            throw new HoldExpiredException(instrumentId);
        }
        jdbc.update("INSERT INTO rentals (instrument_id, customer_id, agreement_id, started_on) VALUES (?, ?, ?, current_date)",
                instrumentId, customerId, agreementId);
        jdbc.update("UPDATE instruments SET status = 'ON_RENTAL' WHERE id = ? AND status = 'IN_STOCK'", instrumentId);
    }

    public List<Long> availableInSize(String size, int limit) {
        return jdbc.queryForList("""
                SELECT i.id FROM instruments i
                LEFT JOIN rental_holds h ON h.instrument_id = i.id AND h.expires_at > now()
                WHERE i.size = ? AND i.status = 'IN_STOCK' AND h.instrument_id IS NULL
                ORDER BY i.condition_grade DESC, i.id
                LIMIT ?
                """, Long.class, size, Math.min(limit, 50));
    }

    /** Lapsed holds are removed in small batches so the sweep never blocks checkouts. */
    @Scheduled(fixedDelayString = "PT5M")
    public void purgeLapsedHolds() {
        int total = 0;
        int batch;
        do {
            batch = jdbc.update("""
                    DELETE FROM rental_holds
                    WHERE ctid IN (SELECT ctid FROM rental_holds WHERE expires_at < now() - interval '5 minutes' LIMIT 1000)
                    """);
            total += batch;
        } while (batch == 1000);
        if (total > 0) {
            log.info("purged {} lapsed instrument holds", total);
        }
    }
}
