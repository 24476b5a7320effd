package org.communityfridge.sync;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes new community fridge donations (bread, veg boxes, surplus from the
 * Co-op) to the regional food-sharing map, so people nearby can see what's in.
 * Runs in the background worker, not in a request.
 */
@Component
public class FridgeListingPublisher {

    private static final Logger log = LoggerFactory.getLogger(FridgeListingPublisher.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final long BASE_DELAY_MS = 500;
    private static final long MAX_DELAY_MS = 20_000;

    record Listing(long donationId, String fridgeCode, String description, String bestBefore) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final URI batchEndpoint;
    private final String apiKey;
    // One client for the lifetime of the app; it pools connections to the partner API.
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public FridgeListingPublisher(JdbcTemplate jdbc, ObjectMapper json,
                                  @Value("${foodmap.base-url}") String baseUrl,
                                  @Value("${foodmap.api-key}") String apiKey) {
        this.jdbc = jdbc;
        this.json = json;
        this.batchEndpoint = URI.create(baseUrl + "/v2/listings:batch");
        this.apiKey = apiKey;
    }

    @Scheduled(fixedDelay = 120_000)
    @Transactional
    public void publishPending() throws IOException, InterruptedException {
        List<Listing> pending = jdbc.query("""
                SELECT d.id, f.code, d.description, d.best_before
                  FROM donations d JOIN fridges f ON f.id = d.fridge_id
                 WHERE d.published_at IS NULL AND d.best_before >= current_date
                 ORDER BY d.id
                 LIMIT 100
                   FOR UPDATE OF d SKIP LOCKED
                """,
                (rs, i) -> new Listing(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        if (pending.isEmpty()) {
            return;
        }

        String body = json.writeValueAsString(pending);
        // Batch key lets the partner drop a replayed batch if our commit fails after they accepted it.
        String idempotencyKey = "fridge-batch-" + pending.get(0).donationId()
                + "-" + pending.get(pending.size() - 1).donationId();
        HttpRequest request = HttpRequest.newBuilder(batchEndpoint)
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + apiKey)
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        sendWithBackoff(request);

        jdbc.update("UPDATE donations SET published_at = now() WHERE id = ANY (?)",
                (Object) pending.stream().map(Listing::donationId).toArray(Long[]::new));
        log.info("Published {} fridge donations to the food map", pending.size());
    }

    private void sendWithBackoff(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            HttpResponse<String> resp;
            try {
                resp = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    log.error("Food map unreachable after {} attempts", attempt, e);
                    throw e;
                }
                log.warn("Food map call failed (attempt {}), retrying: {}", attempt, e.toString());
                pause(attempt);
                continue;
            }

            int status = resp.statusCode();
            if (status < 300) {
                return;
            }
            boolean retryable = status >= 500 || status == 429;
            if (!retryable || attempt >= MAX_ATTEMPTS) {
                throw new IOException("food map rejected batch after " + attempt
                        + " attempt(s): HTTP " + status + " " + resp.body());
            }
            log.warn("Food map returned HTTP {} (attempt {}), retrying", status, attempt);
            pause(attempt);
        }
        throw new IllegalStateException("retry loop exited without a result");
    }

    /** Exponential backoff with full jitter, capped at MAX_DELAY_MS. */
    private static void pause(int attempt) throws InterruptedException {
        long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << (attempt - 1));
        Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
