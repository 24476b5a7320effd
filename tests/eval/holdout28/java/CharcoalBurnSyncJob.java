package org.woodlandtrust.charcoal.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Background jobs for the charcoal burn log: send finished burn records to the
 * county forestry registry in batches, and purge expired public share links.
 * Safe to run on every instance: rows are claimed with SKIP LOCKED.
 */
@Component
public class CharcoalBurnSyncJob {

    private static final Logger log = LoggerFactory.getLogger(CharcoalBurnSyncJob.class);
    private static final int BATCH = 100;
    private static final int MAX_ATTEMPTS = 6;
    private static final long BASE_DELAY_MS = 500;
    private static final long MAX_DELAY_MS = 30_000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final String registryUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public CharcoalBurnSyncJob(JdbcTemplate jdbc, ObjectMapper mapper,
                               @Value("${forestry.registry.url}") String registryUrl) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.registryUrl = registryUrl;
    }

    @Scheduled(fixedDelayString = "PT2M")
    @Transactional
    public void pushFinishedBurns() throws IOException, InterruptedException {
        List<BurnRecord> batch = jdbc.query("""
                SELECT id, kiln_ref, lit_at, quenched_at, wood_species, yield_kg
                  FROM burn_logs
                 WHERE finished = true AND synced_at IS NULL
                 ORDER BY quenched_at
                 LIMIT ?
                 FOR UPDATE SKIP LOCKED
                """, BurnRecord.MAPPER, BATCH);
        if (batch.isEmpty()) {
            return;
        }

        HttpRequest req = HttpRequest.newBuilder(URI.create(registryUrl + "/v1/burns:batch"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "burns-" + batch.get(0).id() + "-" + batch.get(batch.size() - 1).id())
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(batch)))
                .build();

        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
                if (resp.statusCode() / 100 == 2) {
                    break;
                }
                if (resp.statusCode() < 500 && resp.statusCode() != 429) {
                    throw new IllegalStateException("registry rejected batch: HTTP " + resp.statusCode());
                }
                log.warn("registry busy (HTTP {}), attempt {}", resp.statusCode(), attempt + 1);
            } catch (IOException e) {
                if (attempt + 1 >= MAX_ATTEMPTS) {
                    throw e;
                }
                log.warn("registry call failed, attempt {}: {}", attempt + 1, e.toString());
            }
            if (attempt + 1 >= MAX_ATTEMPTS) {
                throw new IOException("registry still unavailable after " + MAX_ATTEMPTS + " attempts");
            }
            long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << attempt);
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        }

        Long[] ids = batch.stream().map(BurnRecord::id).toArray(Long[]::new);
        jdbc.update("UPDATE burn_logs SET synced_at = now() WHERE id = ANY(?)", (Object) ids);
        log.info("synced {} burn records to the forestry registry", ids.length);
    }

    /** Share links for a burn's photo log are valid for 14 days. */
    @Scheduled(cron = "0 15 3 * * *")
    public void purgeExpiredShareLinks() {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.update("""
                    DELETE FROM burn_share_links
                     WHERE id IN (SELECT id FROM burn_share_links
                                   WHERE expires_at < now()
                                   LIMIT 5000)
                    """);
            total += deleted;
        } while (deleted == 5000);
        log.info("purged {} expired burn share links", total);
    }
}
