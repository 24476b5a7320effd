package org.morrissides.fixtures.sync;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pulls dance-out fixtures (fetes, pub tours, festivals) that sides have published on the
 * federation calendar and upserts them into our fixtures table.
 * The HttpClient bean is shared (see HttpConfig: connectTimeout 3s, one pool per app).
 */
@Component
public class MorrisFixtureSyncJob {

    private static final Logger log = LoggerFactory.getLogger(MorrisFixtureSyncJob.class);

    private static final int MAX_ATTEMPTS = 5;
    private static final long BASE_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 15_000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final FederationProperties props;

    public MorrisFixtureSyncJob(HttpClient http, JdbcTemplate jdbc, ObjectMapper mapper, FederationProperties props) {
        this.http = http;
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.props = props;
    }

    @Scheduled(cron = "0 */15 * * * *")
    @Transactional
    public void syncChangedFixtures() throws IOException, InterruptedException {
        OffsetDateTime since = jdbc.queryForObject(
                "SELECT last_synced_at FROM sync_cursors WHERE source = 'federation'", OffsetDateTime.class);

        // The calendar endpoint returns at most 500 changes per call, oldest first.
        HttpRequest request = HttpRequest.newBuilder()
                .uri(URI.create(props.baseUrl() + "/calendar/changes?since=" + since + "&limit=500"))
                .header("Authorization", "Bearer " + props.token())
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();

        JsonNode changes = mapper.readTree(sendWithBackoff(request)).path("fixtures");
        if (changes.isEmpty()) {
            return;
        }

        List<Object[]> rows = new java.util.ArrayList<>();
        for (JsonNode f : changes) {
            rows.add(new Object[] {
                    f.path("id").asText(), f.path("venue").asText(),
                    OffsetDateTime.parse(f.path("starts_at").asText()), f.path("updated_at").asText(),
                    f.path("side_code").asText() });
        }
        jdbc.batchUpdate("""
                INSERT INTO fixtures (side_id, external_id, venue, starts_at, source_updated_at)
                SELECT s.id, ?, ?, ?, ?::timestamptz FROM sides s WHERE s.federation_code = ?
                ON CONFLICT (side_id, external_id)
                DO UPDATE SET venue = EXCLUDED.venue, starts_at = EXCLUDED.starts_at,
                              source_updated_at = EXCLUDED.source_updated_at
                """, rows);

        String newest = changes.get(changes.size() - 1).path("updated_at").asText();
        jdbc.update("UPDATE sync_cursors SET last_synced_at = ?::timestamptz WHERE source = 'federation'", newest);
        log.info("Synced {} fixture changes from the federation calendar", changes.size());
    }

    private String sendWithBackoff(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() < 500 && resp.statusCode() != 429) {
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException("federation calendar answered " + resp.statusCode());
                    }
                    return resp.body();
                }
                log.warn("Federation calendar returned {} (attempt {}/{})", resp.statusCode(), attempt, MAX_ATTEMPTS);
            } catch (IOException e) {
                log.warn("Federation calendar call failed (attempt {}/{})", attempt, MAX_ATTEMPTS, e);
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new IOException("federation calendar still unavailable after " + MAX_ATTEMPTS + " attempts");
            }
            // Exponential backoff with full jitter, capped.
            long ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << (attempt - 1));
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        }
    }
}
