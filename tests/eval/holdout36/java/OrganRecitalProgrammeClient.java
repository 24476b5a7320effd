package org.stmarys.recitals.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fetches recital programmes (organist, repertoire, seat plan for the nave and
 * gallery) from the diocese events hub. Every visitor to a recital page sees the
 * same programme, so it is cached per recital, not per visitor.
 */
@Component
public class OrganRecitalProgrammeClient {

    private static final Logger log = LoggerFactory.getLogger(OrganRecitalProgrammeClient.class);

    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 3_000;

    // One shared client: keeps a connection pool to the hub for the whole app.
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_2)
            .build();

    // At most 500 programmes, refreshed every 15 minutes; get() loads each key once
    // even when many requests miss at the same time.
    private final Cache<Long, RecitalProgramme> programmes = Caffeine.newBuilder()
            .maximumSize(500)
            .expireAfterWrite(Duration.ofMinutes(15))
            .build();

    private final ObjectMapper mapper;
    private final URI hubBase;

    public OrganRecitalProgrammeClient(ObjectMapper mapper, HubProperties props) {
        this.mapper = mapper;
        this.hubBase = URI.create(props.baseUrl());
    }

    public RecitalProgramme programme(long recitalId) {
        return programmes.get(recitalId, this::fetchWithRetry);
    }

    private RecitalProgramme fetchWithRetry(long recitalId) {
        HttpRequest request = HttpRequest.newBuilder(hubBase.resolve("/v1/recitals/" + recitalId + "/programme"))
                .timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json")
                .GET()
                .build();

        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return mapper.readValue(response.body(), RecitalProgramme.class);
                }
                if (response.statusCode() < 500) {
                    throw new HubRequestException(recitalId, response.statusCode());
                }
                log.warn("Hub returned {} for recital {} (attempt {}/{})",
                        response.statusCode(), recitalId, attempt, MAX_ATTEMPTS);
            } catch (IOException e) {
                log.warn("Hub call for recital {} failed (attempt {}/{})", recitalId, attempt, MAX_ATTEMPTS, e);
                if (attempt >= MAX_ATTEMPTS) {
                    throw new HubUnavailableException(recitalId, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubUnavailableException(recitalId, e);
            }

            if (attempt >= MAX_ATTEMPTS) {
                throw new HubUnavailableException(recitalId, null);
            }
            sleepBeforeRetry(attempt, recitalId);
        }
    }

    // Exponential backoff with full jitter: random(0, min(cap, base * 2^(attempt-1))).
    private void sleepBeforeRetry(int attempt, long recitalId) {
        long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << (attempt - 1));
        long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubUnavailableException(recitalId, e);
        }
    }
}
