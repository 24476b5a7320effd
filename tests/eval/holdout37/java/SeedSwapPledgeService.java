package org.walledgardens.seedswap;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/**
 * Seed swap pledges for the walled garden network. Gardeners pledge packets of
 * heritage seed; visitors put a packet on hold for 30 minutes, then confirm the swap
 * at the potting-shed table. Each garden only ever sees its own pledges.
 */
@Service
public class SeedSwapPledgeService {

    private static final Logger log = LoggerFactory.getLogger(SeedSwapPledgeService.class);
    private static final int CLEANUP_BATCH = 500;

    private final JdbcTemplate jdbc;

    /** Catalogue per garden; Caffeine loads each key once even when many visitors ask at the same moment. */
    private final LoadingCache<Long, List<Map<String, Object>>> catalogue;

    public SeedSwapPledgeService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.catalogue = Caffeine.newBuilder()
                .maximumSize(200)
                .expireAfterWrite(Duration.ofMinutes(2))
                .build(this::loadCatalogue);
    }

    public List<Map<String, Object>> catalogue(long gardenId) {
        return catalogue.get(gardenId);
    }

    private List<Map<String, Object>> loadCatalogue(long gardenId) {
        return jdbc.queryForList(
                "SELECT id, variety, family, packets_left, pledged_by FROM seed_pledges " +
                "WHERE garden_id = ? AND packets_left > 0 ORDER BY family, variety LIMIT 500",
                gardenId);
    }

    @Transactional
    public long hold(long gardenId, long pledgeId, long visitorId) {
        int taken = jdbc.update(
                "UPDATE seed_pledges SET packets_left = packets_left - 1 WHERE id = ? AND garden_id = ? AND packets_left > 0",
                pledgeId, gardenId);
        if (taken == 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "No packets left of this variety");
        }
        return jdbc.queryForObject(
                "INSERT INTO pledge_holds (garden_id, pledge_id, visitor_id, expires_at) " +
                "VALUES (?, ?, ?, now() + interval '30 minutes') RETURNING id",
                Long.class, gardenId, pledgeId, visitorId);
    }

    /** Confirms a swap: the hold becomes a permanent claim and the hold row is removed. */
    @Transactional
    public void confirm(long gardenId, long holdId, long visitorId) {
        int moved = jdbc.update(
                "WITH h AS (DELETE FROM pledge_holds WHERE id = ? AND garden_id = ? AND visitor_id = ? " +
                "AND expires_at > now() RETURNING garden_id, pledge_id, visitor_id) " +
                "INSERT INTO pledge_claims (garden_id, pledge_id, visitor_id, claimed_at) " +
                "SELECT garden_id, pledge_id, visitor_id, now() FROM h",
                holdId, gardenId, visitorId);
        if (moved == 0) {
            throw new ResponseStatusException(HttpStatus.GONE, "Hold has expired");
        }
    }

    /** Returns packets from lapsed holds to the pledge and deletes the hold rows. */
    @Scheduled(fixedDelayString = "PT5M")
    public void releaseExpiredHolds() {
        int total = 0;
        int batch;
        do {
            batch = jdbc.update(
                    "WITH expired AS (DELETE FROM pledge_holds WHERE id IN (" +
                    "  SELECT id FROM pledge_holds WHERE expires_at < now() ORDER BY id LIMIT " + CLEANUP_BATCH +
                    "  FOR UPDATE SKIP LOCKED) RETURNING pledge_id) " +
                    "UPDATE seed_pledges p SET packets_left = p.packets_left + e.n " +
                    "FROM (SELECT pledge_id, count(*) AS n FROM expired GROUP BY pledge_id) e WHERE p.id = e.pledge_id");
            total += batch;
        } while (batch > 0);
        if (total > 0) {
            log.info("Released {} pledges from expired seed holds", total);
        }
    }
}
