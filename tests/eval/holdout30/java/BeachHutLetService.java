package uk.promenade.huts.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import uk.promenade.huts.model.HutAvailability;
import uk.promenade.huts.model.HutHold;
import uk.promenade.huts.service.errors.HutTakenException;

/**
 * Seasonal beach hut lets for the coastal councils. The availability grid is
 * read far more often than it changes (everyone refreshes it on release day),
 * so it is cached per council+season for a short time. Correctness of holds
 * and lets is enforced in the database, not by the cache.
 */
@Service
public class BeachHutLetService {

    private static final Logger log = LoggerFactory.getLogger(BeachHutLetService.class);

    private record GridKey(long councilId, int season) {}

    private final JdbcTemplate jdbc;

    // Bounded, short-lived; Caffeine's get(key, loader) runs one load per key while other callers wait.
    private final Cache<GridKey, List<HutAvailability>> grid = Caffeine.newBuilder()
            .maximumSize(200)
            .expireAfterWrite(Duration.ofSeconds(30))
            .build();

    public BeachHutLetService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<HutAvailability> availability(long councilId, int season) {
        return grid.get(new GridKey(councilId, season), k -> jdbc.query(
                "SELECT h.id, h.hut_number, h.promenade, h.size_code, h.season_price_pence, "
                        + "(l.id IS NOT NULL) AS let, (hh.id IS NOT NULL AND hh.expires_at > now()) AS held "
                        + "FROM beach_huts h "
                        + "LEFT JOIN hut_lets l ON l.hut_id = h.id AND l.season = ? "
                        + "LEFT JOIN hut_holds hh ON hh.hut_id = h.id AND hh.season = ? "
                        + "WHERE h.council_id = ? ORDER BY h.promenade, h.hut_number LIMIT 1000",
                HutAvailability.MAPPER, k.season(), k.season(), k.councilId()));
    }

    /**
     * Holds a hut for 20 minutes while the applicant pays. One row per hut+season;
     * an expired hold is taken over in the same statement.
     */
    @Transactional
    public HutHold hold(long councilId, long hutId, int season, long residentId) {
        List<HutHold> rows = jdbc.query(
                "INSERT INTO hut_holds (council_id, hut_id, season, resident_id, expires_at) "
                        + "SELECT h.council_id, h.id, ?, ?, now() + interval '20 minutes' FROM beach_huts h "
                        + "WHERE h.id = ? AND h.council_id = ? "
                        + "AND NOT EXISTS (SELECT 1 FROM hut_lets l WHERE l.hut_id = h.id AND l.season = ?) "
                        + "ON CONFLICT (hut_id, season) DO UPDATE SET resident_id = EXCLUDED.resident_id, expires_at = EXCLUDED.expires_at "
                        + "WHERE hut_holds.expires_at < now() "
                        + "RETURNING id, hut_id, season, expires_at",
                HutHold.MAPPER, season, residentId, hutId, councilId, season);
        if (rows.isEmpty()) {
            throw new HutTakenException(hutId, season);
        }
        grid.invalidate(new GridKey(councilId, season));
        return rows.get(0);
    }

    /** Converts a paid hold into the let; hut_lets has UNIQUE (hut_id, season). */
    @Transactional
    public long confirmLet(long councilId, long holdId, long residentId) {
        List<Long> ids = jdbc.queryForList(
                "WITH h AS (DELETE FROM hut_holds WHERE id = ? AND council_id = ? AND resident_id = ? AND expires_at > now() "
                        + "RETURNING council_id, hut_id, season, resident_id) "
                        + "INSERT INTO hut_lets (council_id, hut_id, season, resident_id) SELECT * FROM h "
                        + "ON CONFLICT (hut_id, season) DO NOTHING RETURNING id",
                Long.class, holdId, councilId, residentId);
        if (ids.isEmpty()) {
            throw new HutTakenException(holdId);
        }
        return ids.get(0);
    }

    /** Abandoned holds are removed so the table stays small. */
    @Scheduled(cron = "0 */10 * * * *")
    public void purgeExpiredHolds() {
        int removed = jdbc.update("DELETE FROM hut_holds WHERE expires_at < now() - interval '1 hour'");
        if (removed > 0) {
            log.info("removed {} expired beach hut holds", removed);
        }
    }
}
