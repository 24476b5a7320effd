package ch.alpinehuts.allocation;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Allocates bunks in the mountain huts for a given night.
 * hut_nights holds one row per hut and night with the number of free bunks.
 */
@Service
public class BunkAllocationService {

    private static final Logger log = LoggerFactory.getLogger(BunkAllocationService.class);

    private final JdbcTemplate jdbc;
    private final RestTemplate wardenApi;

    public BunkAllocationService(JdbcTemplate jdbc,
                                 RestTemplateBuilder builder,
                                 @Value("${huts.warden-api.base-url}") String wardenBaseUrl) {
        this.jdbc = jdbc;
        this.wardenApi = builder
                .rootUri(wardenBaseUrl)
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(5))
                .build();
    }

    public record Allocation(long id, long hutId, LocalDate night, long hikerId, int bunks) {}

    @Transactional
    public Allocation allocate(long hutId, LocalDate night, long hikerId, int bunks) {
        // Decrement only if enough bunks are still free; the row count tells us whether we got them.
        int updated = jdbc.update(
                "UPDATE hut_nights SET free_bunks = free_bunks - ? WHERE hut_id = ? AND night = ? AND free_bunks >= ?",
                bunks, hutId, night, bunks);
        if (updated == 0) {
            throw new NoBunksLeftException(hutId, night, bunks);
        }

        Long id = jdbc.queryForObject(
                "INSERT INTO bunk_allocations (hut_id, night, hiker_id, bunks) VALUES (?, ?, ?, ?) RETURNING id",
                Long.class, hutId, night, hikerId, bunks);

        Allocation allocation = new Allocation(id, hutId, night, hikerId, bunks);
        notifyWardenAfterCommit(allocation);
        return allocation;
    }

    @Transactional
    public void cancel(long allocationId, long hikerId) {
        List<Allocation> removed = jdbc.query(
                "DELETE FROM bunk_allocations WHERE id = ? AND hiker_id = ? RETURNING id, hut_id, night, hiker_id, bunks",
                (rs, i) -> new Allocation(rs.getLong("id"), rs.getLong("hut_id"),
                        rs.getObject("night", LocalDate.class), rs.getLong("hiker_id"), rs.getInt("bunks")),
                allocationId, hikerId);
        if (removed.isEmpty()) {
            return;
        }
        Allocation a = removed.get(0);
        jdbc.update("UPDATE hut_nights SET free_bunks = free_bunks + ? WHERE hut_id = ? AND night = ?",
                a.bunks(), a.hutId(), a.night());
    }

    public List<Allocation> guestList(long hutId, LocalDate night) {
        // A hut sleeps at most 120, so a cap of 200 rows is never reached in practice.
        return jdbc.query(
                "SELECT id, hut_id, night, hiker_id, bunks FROM bunk_allocations WHERE hut_id = ? AND night = ? ORDER BY id LIMIT 200",
                (rs, i) -> new Allocation(rs.getLong("id"), rs.getLong("hut_id"),
                        rs.getObject("night", LocalDate.class), rs.getLong("hiker_id"), rs.getInt("bunks")),
                hutId, night);
    }

    private void notifyWardenAfterCommit(Allocation allocation) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                try {
                    wardenApi.postForEntity("/huts/{hutId}/arrivals", allocation, Void.class, allocation.hutId());
                } catch (RestClientException e) {
                    // The warden's tablet also pulls the full guest list at 16:00, so the allocation is not lost.
                    log.error("warden notification failed for allocation {} (hut {}, night {})",
                            allocation.id(), allocation.hutId(), allocation.night(), e);
                }
            }
        });
    }
}
