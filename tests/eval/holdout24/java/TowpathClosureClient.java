package org.waterways.towpath.notices;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Reads towpath closure and diversion notices from the navigation authority's
 * stoppages API, so the route planner can warn walkers and cyclists.
 *
 * The upstream API is slow and occasionally returns 503 during their nightly
 * batch, so we retry a few times and keep what we fetched.
 */
@Component
public class TowpathClosureClient {

    private static final Logger log = LoggerFactory.getLogger(TowpathClosureClient.class);

    private static final int MAX_ATTEMPTS = 4;

    // reach code + date window -> notices
    private static final Map<String, List<ClosureNotice>> NOTICES = new ConcurrentHashMap<>();

    private final RestTemplate rest = new RestTemplate();

    @Value("${towpath.stoppages.base-url}")
    private String baseUrl;

    @Value("${towpath.stoppages.api-key}")
    private String apiKey;

    public record ClosureNotice(String id,
                                String reachCode,
                                String title,
                                LocalDate startsOn,
                                LocalDate endsOn,
                                boolean towpathClosed,
                                String diversion) {}

    public List<ClosureNotice> noticesFor(String reachCode, LocalDate from, LocalDate to) {
        String key = reachCode + "|" + from + "|" + to;
        List<ClosureNotice> known = NOTICES.get(key);
        if (known != null) {
            return known;
        }

        String url = UriComponentsBuilder.fromHttpUrl(baseUrl)
            .path("/v2/stoppages")
            .queryParam("reach", reachCode)
            .queryParam("from", from)
            .queryParam("to", to)
            .queryParam("key", apiKey)
            .toUriString();

        List<ClosureNotice> notices = fetch(url).stream()
            .filter(ClosureNotice::towpathClosed)
            .toList();
        NOTICES.put(key, notices);
        return notices;
    }

    private List<ClosureNotice> fetch(String url) {
        RestClientException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                ClosureNotice[] body = rest.getForObject(url, ClosureNotice[].class);
                return body == null ? List.of() : Arrays.asList(body);
            } catch (RestClientException e) {
                last = e;
                log.warn("stoppages API attempt {}/{} failed: {}", attempt, MAX_ATTEMPTS, e.getMessage());
                sleepQuietly(500);
            }
        }
        throw new IllegalStateException("stoppages API unavailable after " + MAX_ATTEMPTS + " attempts", last);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
