package com.drystonecrews.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/**
 * Hands ready stone-wall repair jobs (field boundaries, sheepfolds, cripple holes) to the
 * crew-planning service in batches. Runs on every instance; SKIP LOCKED means each job is
 * claimed by exactly one of them.
 */
@Component
public class WallRepairDispatchJob {

    private static final Logger log = LoggerFactory.getLogger(WallRepairDispatchJob.class);
    private static final int BATCH = 25;

    public record RepairJob(long id, long farmId, String gridRef, double metres, String wallType) {}

    private final JdbcTemplate jdbc;
    private final WebClient planner;
    private final String instanceId = UUID.randomUUID().toString();

    public WallRepairDispatchJob(JdbcTemplate jdbc, WebClient.Builder builder) {
        this.jdbc = jdbc;
        HttpClient netty = HttpClient.create().responseTimeout(Duration.ofSeconds(10));
        this.planner = builder
                .baseUrl("http://crew-planner.internal")
                .clientConnector(new ReactorClientHttpConnector(netty))
                .build();
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 10_000)
    public void dispatchReadyJobs() {
        List<RepairJob> jobs = jdbc.query(
                "UPDATE wall_repair_jobs SET status = 'CLAIMED', claimed_by = ?, claimed_at = now() "
                        + "WHERE id IN (SELECT id FROM wall_repair_jobs WHERE status = 'READY' "
                        + "ORDER BY priority DESC, reported_at LIMIT ? FOR UPDATE SKIP LOCKED) "
                        + "RETURNING id, farm_id, grid_ref, length_m, wall_type",
                (rs, i) -> new RepairJob(rs.getLong("id"), rs.getLong("farm_id"), rs.getString("grid_ref"),
                        rs.getDouble("length_m"), rs.getString("wall_type")),
                instanceId, BATCH);
        if (jobs.isEmpty()) {
            return;
        }

        // One request for the whole batch; transient planner failures are retried with
        // exponential backoff (0.5 s doubling, jittered, capped at 8 s, at most 4 retries).
        Long[] ids = jobs.stream().map(RepairJob::id).toArray(Long[]::new);
        try {
            planner.post()
                    .uri("/api/v2/job-batches")
                    .bodyValue(jobs)
                    .retrieve()
                    .toBodilessEntity()
                    .timeout(Duration.ofSeconds(15))
                    .retryWhen(Retry.backoff(4, Duration.ofMillis(500))
                            .maxBackoff(Duration.ofSeconds(8))
                            .jitter(0.5))
                    .block(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            log.error("crew planner rejected batch of {} jobs, returning them to READY", ids.length, e);
            jdbc.update("UPDATE wall_repair_jobs SET status = 'READY', claimed_by = NULL, claimed_at = NULL "
                    + "WHERE id = ANY(?) AND claimed_by = ?", ids, instanceId);
            throw e;
        }

        jdbc.update("UPDATE wall_repair_jobs SET status = 'DISPATCHED', dispatched_at = now() "
                + "WHERE id = ANY(?) AND claimed_by = ?", ids, instanceId);
        log.info("dispatched {} wall repair jobs to crew planner", jobs.size());
    }

    /** Claims left behind by an instance that died mid-dispatch go back to READY. */
    @Scheduled(fixedDelay = 300_000)
    public void releaseStaleClaims() {
        int released = jdbc.update(
                "UPDATE wall_repair_jobs SET status = 'READY', claimed_by = NULL, claimed_at = NULL "
                        + "WHERE status = 'CLAIMED' AND claimed_at < now() - interval '15 minutes'");
        if (released > 0) {
            log.warn("released {} stale wall repair claims", released);
        }
    }
}
