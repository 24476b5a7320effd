/**
 * Q: "Two admissions staff clicked 'Offer next seat' for the same classroom at the same
 * time and we offered 23 seats in a 22-seat room. Is this a race condition?"
 *
 * Yes. Here's the fixed service: the classroom row is locked with SELECT ... FOR UPDATE
 * inside the transaction, so the seat count and the offer insert happen under the same
 * lock. The slow re-ranking job now runs in the background and reports progress through
 * the waitlist_jobs table (works across all app instances).
 */
package com.littleacorns.enrollment.waitlist;

import lombok.RequiredArgsConstructor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Service
@RequiredArgsConstructor
public class WaitlistOfferService {

    private final JdbcTemplate jdbc;
    private final RankingCalculator rankingCalculator;

    @Transactional
    public Optional<Long> offerNextSeat(long centerId, long classroomId) {
        Integer capacity = jdbc.queryForObject(
                "SELECT capacity FROM classrooms WHERE id = ? AND center_id = ? FOR UPDATE",
                Integer.class, classroomId, centerId);
        Integer committed = jdbc.queryForObject(
                "SELECT count(*) FROM seat_offers WHERE classroom_id = ? AND status IN ('OFFERED', 'ACCEPTED')",
                Integer.class, classroomId);
        if (committed >= capacity) {
            return Optional.empty();
        }

        List<Long> next = jdbc.queryForList("""
                SELECT w.id FROM waitlist_entries w
                WHERE w.center_id = ? AND w.classroom_id = ? AND w.status = 'WAITING'
                ORDER BY w.priority_rank, w.applied_at
                LIMIT 1
                """, Long.class, centerId, classroomId);
        if (next.isEmpty()) {
            return Optional.empty();
        }

        long entryId = next.get(0);
        jdbc.update("UPDATE waitlist_entries SET status = 'OFFERED' WHERE id = ? AND center_id = ?", entryId, centerId);
        jdbc.update("INSERT INTO seat_offers (classroom_id, waitlist_entry_id, status, offered_at) VALUES (?, ?, 'OFFERED', now())",
                classroomId, entryId);
        return Optional.of(entryId);
    }

    /** Called by the controller, which returns 202 + job id immediately. */
    public UUID startReRank(long centerId) {
        UUID jobId = UUID.randomUUID();
        jdbc.update("INSERT INTO waitlist_jobs (id, center_id, kind, status, created_at) VALUES (?, ?, 'RERANK', 'QUEUED', now())",
                jobId, centerId);
        rankingCalculator.reRankAsync(jobId, centerId);
        return jobId;
    }
}

@Service
@RequiredArgsConstructor
class RankingCalculator {

    private final JdbcTemplate jdbc;

    @Async("waitlistExecutor")
    public void reRankAsync(UUID jobId, long centerId) {
        jdbc.update("UPDATE waitlist_jobs SET status = 'RUNNING', started_at = now() WHERE id = ?", jobId);
        try {
            // sibling priority, staff children, distance band, application date
            jdbc.update("""
                    UPDATE waitlist_entries w SET priority_rank = r.rank
                    FROM (SELECT id, row_number() OVER (ORDER BY sibling_enrolled DESC, staff_child DESC,
                                 distance_band, applied_at) AS rank
                          FROM waitlist_entries WHERE center_id = ? AND status = 'WAITING') r
                    WHERE w.id = r.id
                    """, centerId);
            jdbc.update("UPDATE waitlist_jobs SET status = 'DONE', finished_at = now() WHERE id = ?", jobId);
        } catch (RuntimeException e) {
            jdbc.update("UPDATE waitlist_jobs SET status = 'FAILED', error = ?, finished_at = now() WHERE id = ?",
                    e.getMessage(), jobId);
            throw e;
        }
    }
}
