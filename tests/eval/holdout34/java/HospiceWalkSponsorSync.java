package org.larkhillhospice.walk.sponsors;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.*;

/**
 * Pulls sponsorship totals for the hospice's midsummer charity walk from the
 * fundraising platform. The office clicks "refresh totals"; we accept the request,
 * run it in the background and the page polls the job row.
 */
@RestController
@RequestMapping("/api/walk/sponsor-sync")
class SponsorSyncController {

    private final JdbcTemplate jdbc;
    private final SponsorSyncWorker worker;

    SponsorSyncController(JdbcTemplate jdbc, SponsorSyncWorker worker) {
        this.jdbc = jdbc;
        this.worker = worker;
    }

    @PostMapping
    public ResponseEntity<Map<String, String>> start(@RequestParam long walkEventId) {
        String jobId = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO sponsor_sync_jobs (id, walk_event_id, status, created_at) VALUES (?::uuid, ?, 'QUEUED', now())",
                jobId, walkEventId);
        worker.run(jobId, walkEventId);
        return ResponseEntity.accepted().body(Map.of("jobId", jobId, "statusUrl", "/api/walk/sponsor-sync/" + jobId));
    }

    @GetMapping("/{jobId}")
    public Map<String, Object> status(@PathVariable String jobId) {
        return jdbc.queryForMap("SELECT status, updated_pages, finished_at FROM sponsor_sync_jobs WHERE id = ?::uuid", jobId);
    }
}

@Component
class SponsorSyncWorker {

    private static final Logger log = LoggerFactory.getLogger(SponsorSyncWorker.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final long BASE_DELAY_MS = 500;
    private static final long MAX_DELAY_MS = 15_000;

    private final JdbcTemplate jdbc;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    SponsorSyncWorker(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Async("sponsorSyncExecutor")
    public void run(String jobId, long walkEventId) {
        try {
            List<String> pageIds = jdbc.queryForList(
                    "SELECT fundraising_page_id FROM walkers WHERE walk_event_id = ? AND fundraising_page_id IS NOT NULL",
                    String.class, walkEventId);

            // One batched call for every walker's fundraising page.
            String body = fetchTotals(String.join(",", pageIds));
            Integer updated = jdbc.queryForObject("SELECT apply_sponsor_totals(?, ?::jsonb)", Integer.class, walkEventId, body);

            jdbc.update("UPDATE sponsor_sync_jobs SET status = 'DONE', updated_pages = ?, finished_at = now() WHERE id = ?::uuid",
                    updated, jobId);
        } catch (Exception e) {
            log.error("sponsor sync job {} for walk {} failed", jobId, walkEventId, e);
            jdbc.update("UPDATE sponsor_sync_jobs SET status = 'FAILED', finished_at = now() WHERE id = ?::uuid", jobId);
            throw new IllegalStateException("sponsor sync failed", e);
        }
    }

    private String fetchTotals(String pageIds) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.givewell-platform.example/v1/pages/totals?ids=" + pageIds))
                .header("Authorization", "Bearer " + System.getenv("FUNDRAISING_API_KEY"))
                .timeout(Duration.ofSeconds(20))
                .GET()
                .build();

        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int code = response.statusCode();
            if (code == 200) {
                return response.body();
            }
            if ((code != 429 && code < 500) || attempt >= MAX_ATTEMPTS) {
                throw new IOException("fundraising platform returned " + code + " after " + attempt + " attempt(s)");
            }
            long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * (1L << attempt));
            long delay = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
            log.warn("fundraising platform returned {}, retrying in {} ms", code, delay);
            Thread.sleep(delay);
        }
    }
}
