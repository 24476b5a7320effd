package org.regionalbloodbank.inventory;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class BloodComponentService {

    private static final Logger log = LoggerFactory.getLogger(BloodComponentService.class);

    private final JdbcTemplate jdbc;

    public BloodComponentService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Reserve one specific bag for a crossmatch. The status guard in the WHERE clause means
     * two techs scanning the same unit can't both get it; the loser sees false.
     */
    @Transactional
    public boolean reserveUnit(long unitId, long patientId, Duration hold) {
        int updated = jdbc.update("""
                UPDATE blood_units
                   SET status = 'RESERVED', reserved_for = ?, hold_until = now() + make_interval(mins => ?)
                 WHERE id = ? AND status = 'AVAILABLE' AND expires_on > current_date
                """, patientId, (int) hold.toMinutes(), unitId);
        return updated == 1;
    }

    @Transactional
    public boolean issueUnit(long unitId, long patientId) {
        int updated = jdbc.update("""
                UPDATE blood_units SET status = 'ISSUED', issued_at = now()
                 WHERE id = ? AND status = 'RESERVED' AND reserved_for = ?
                """, unitId, patientId);
        return updated == 1;
    }

    /** Crossmatch holds that nobody issued go back on the shelf. */
    @Scheduled(fixedDelayString = "PT5M")
    public void releaseExpiredHolds() {
        int released = jdbc.update("""
                UPDATE blood_units SET status = 'AVAILABLE', reserved_for = NULL, hold_until = NULL
                 WHERE status = 'RESERVED' AND hold_until < now()
                """);
        if (released > 0) {
            log.info("released {} expired crossmatch holds", released);
        }
    }

    /**
     * Site-level counter used by the courier dispatch screen. Adjusted when a shipment is
     * received (+n) or units are discarded / transferred out (-n).
     */
    @Transactional
    public int adjustOnHand(long siteId, String component, String aboRh, int delta) {
        Integer onHand = jdbc.queryForObject(
                "SELECT units_on_hand FROM component_stock WHERE site_id = ? AND component = ? AND abo_rh = ?",
                Integer.class, siteId, component, aboRh);
        int next = onHand + delta;
        if (next < 0) {
            throw new IllegalStateException("stock for " + component + " " + aboRh + " would go negative");
        }
        jdbc.update("""
                UPDATE component_stock SET units_on_hand = ?, updated_at = now()
                 WHERE site_id = ? AND component = ? AND abo_rh = ?
                """, next, siteId, component, aboRh);
        return next;
    }

    public List<LowStockRow> lowStock(long siteId) {
        return jdbc.query("""
                SELECT component, abo_rh, units_on_hand, par_level
                  FROM component_stock
                 WHERE site_id = ? AND units_on_hand < par_level
                 ORDER BY (par_level - units_on_hand) DESC
                """, (rs, i) -> new LowStockRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)), siteId);
    }
}
