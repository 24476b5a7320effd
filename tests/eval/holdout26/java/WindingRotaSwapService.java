package org.towerclock.rota;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The town clock is wound by hand twice a week by volunteers on a rota.
 * A winder who can't make their turn posts a swap offer; another volunteer can take it
 * until the offer lapses 48 hours later. Lapsed offers are purged every 15 minutes;
 * taken offers are kept for 90 days so the tower keeper can see who swapped with whom.
 */
@Service
public class WindingRotaSwapService {

    private static final Logger log = LoggerFactory.getLogger(WindingRotaSwapService.class);
    private static final Duration OFFER_LIFETIME = Duration.ofHours(48);
    private static final int PURGE_BATCH = 1_000;

    private final JdbcTemplate jdbc;

    public WindingRotaSwapService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** At most one open offer per rota slot (partial unique index); a second post for the same slot returns empty. */
    public Optional<Long> offerSwap(long rotaSlotId, long winderId) {
        List<Long> ids = jdbc.queryForList(
                "INSERT INTO rota_swap_offers (rota_slot_id, offered_by, status, expires_at) "
                        + "VALUES (?, ?, 'open', ?) ON CONFLICT (rota_slot_id) WHERE status = 'open' DO NOTHING RETURNING id",
                Long.class, rotaSlotId, winderId, Timestamp.from(Instant.now().plus(OFFER_LIFETIME)));
        return ids.stream().findFirst();
    }

    /**
     * Take an open offer. The conditional UPDATE claims it atomically: if two volunteers
     * click at the same time only one of them gets a row back.
     */
    @Transactional
    public boolean takeSwap(long offerId, long volunteerId) {
        int claimed = jdbc.update(
                "UPDATE rota_swap_offers SET status = 'taken', taken_by = ?, taken_at = now() "
                        + "WHERE id = ? AND status = 'open' AND expires_at > now() AND offered_by <> ?",
                volunteerId, offerId, volunteerId);
        if (claimed == 0) {
            return false;
        }
        jdbc.update(
                "UPDATE winding_rota SET winder_id = ? WHERE id = (SELECT rota_slot_id FROM rota_swap_offers WHERE id = ?)",
                volunteerId, offerId);
        log.info("volunteer {} took swap offer {}", volunteerId, offerId);
        return true;
    }

    /** Runs on every instance, but ShedLock makes sure only one of them purges at a time. */
    @Scheduled(cron = "0 */15 * * * *")
    @SchedulerLock(name = "purgeLapsedSwapOffers", lockAtMostFor = "10m")
    public void purgeLapsedSwapOffers() {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.update(
                    "DELETE FROM rota_swap_offers WHERE id IN ("
                            + "SELECT id FROM rota_swap_offers WHERE expires_at < now() "
                            + "AND (status = 'open' OR taken_at < now() - interval '90 days') LIMIT " + PURGE_BATCH + ")");
            total += deleted;
        } while (deleted == PURGE_BATCH);
        if (total > 0) {
            log.info("purged {} lapsed swap offers", total);
        }
    }
}
