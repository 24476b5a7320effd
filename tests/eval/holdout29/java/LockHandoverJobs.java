package uk.canalwatch.handover;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Background jobs for lock-keeper shift handovers: deleting expired handover tokens (the QR code
 * the outgoing keeper shows the incoming one) and sending finished shift summaries to the
 * waterways authority. ShedLock makes sure only one replica runs each job at a time.
 */
@Component
public class LockHandoverJobs {

    private static final Logger log = LoggerFactory.getLogger(LockHandoverJobs.class);
    private static final int MAX_ATTEMPTS = 6;
    private static final long BASE_DELAY_MS = 500;
    private static final long MAX_DELAY_MS = 30_000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(3))
        .build();
    private final URI authorityEndpoint = URI.create("https://api.waterways-authority.example/v1/lock-shifts");

    public LockHandoverJobs(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** Tokens live 20 minutes; keep a day for the audit screen, then delete in chunks. */
    @Scheduled(cron = "0 */15 * * * *")
    @SchedulerLock(name = "purgeHandoverTokens", lockAtMostFor = "10m")
    public void purgeExpiredTokens() {
        int deleted;
        int total = 0;
        do {
            deleted = jdbc.update(
                "DELETE FROM handover_tokens WHERE id IN ("
                    + "SELECT id FROM handover_tokens WHERE expires_at < now() - interval '1 day' LIMIT 5000)");
            total += deleted;
        } while (deleted == 5000);
        log.info("purged {} expired handover tokens", total);
    }

    @Scheduled(fixedDelay = 120_000)
    @SchedulerLock(name = "sendShiftSummaries", lockAtMostFor = "5m")
    public void sendShiftSummaries() throws Exception {
        List<ShiftSummary> batch = jdbc.query(
            "UPDATE lock_shifts SET summary_sent_at = now() WHERE id IN ("
                + "SELECT id FROM lock_shifts WHERE ended_at IS NOT NULL AND summary_sent_at IS NULL "
                + "ORDER BY ended_at LIMIT 100 FOR UPDATE SKIP LOCKED) "
                + "RETURNING id, lock_code, keeper_id, boats_passed, water_level_cm, ended_at",
            (rs, i) -> new ShiftSummary(rs.getLong("id"), rs.getString("lock_code"), rs.getLong("keeper_id"),
                rs.getInt("boats_passed"), rs.getInt("water_level_cm"), rs.getTimestamp("ended_at").toInstant()));
        if (batch.isEmpty()) {
            return;
        }
        try {
            postWithBackoff(mapper.writeValueAsString(batch));
        } catch (Exception e) {
            log.error("shift summaries {} not delivered, un-marking for the next run",
                batch.stream().map(ShiftSummary::id).toList(), e);
            jdbc.update("UPDATE lock_shifts SET summary_sent_at = NULL WHERE id = ANY (?)",
                (Object) batch.stream().map(ShiftSummary::id).toArray(Long[]::new));
            throw e;
        }
    }

    private void postWithBackoff(String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(authorityEndpoint)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<Void> resp = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = resp.statusCode();
            if (status < 300) {
                return;
            }
            if ((status < 500 && status != 429) || attempt >= MAX_ATTEMPTS) {
                throw new IOException("waterways authority returned " + status + " after " + attempt + " attempts");
            }
            long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * (1L << attempt));
            long sleepMs = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
            log.warn("authority returned {}, retry {} in {} ms", status, attempt, sleepMs);
            Thread.sleep(sleepMs);
        }
    }

    public record ShiftSummary(long id, String lockCode, long keeperId, int boatsPassed,
                               int waterLevelCm, Instant endedAt) {}
}
