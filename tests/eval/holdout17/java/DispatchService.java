// Good catch - the old loop retried the routing API immediately, ten times in a row, which is
// exactly what knocked it over during the Friday lunch rush. Here is the updated service with
// exponential backoff, full jitter and a hard cap on attempts. It's a drop-in replacement;
// the public methods and their signatures are unchanged.

package com.spokes.dispatch;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Assigns delivery jobs to the nearest free bike courier.
 * dispatch-api runs as 4 pods behind the ingress (HPA scales to 8 at lunch).
 * The rider app posts a GPS ping every 10 s to POST /couriers/{id}/ping -> recordPing().
 */
@Service
public class DispatchService {

    private static final Logger log = LoggerFactory.getLogger(DispatchService.class);

    private static final int MAX_ATTEMPTS = 5;
    private static final long BASE_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 5_000;

    private final RestTemplate restTemplate = new RestTemplate();

    // latest position per courier, used to pick candidates for a new job
    private final Map<Long, CourierPosition> livePositions = new ConcurrentHashMap<>();

    @Value("${routing.base-url}")
    private String routingBaseUrl;

    public void recordPing(long courierId, double lat, double lng, boolean available) {
        livePositions.put(courierId, new CourierPosition(courierId, lat, lng, available, Instant.now()));
    }

    public Optional<Assignment> assignNearest(DeliveryJob job) {
        Instant staleBefore = Instant.now().minusSeconds(60);
        List<CourierPosition> candidates = livePositions.values().stream()
                .filter(p -> p.available() && p.seenAt().isAfter(staleBefore))
                .sorted(Comparator.comparingDouble(p -> Geo.haversineKm(p.lat(), p.lng(), job.pickupLat(), job.pickupLng())))
                .limit(5)
                .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        RouteMatrix matrix = fetchRouteMatrix(job, candidates);
        int best = matrix.indexOfFastestToPickup();
        return Optional.of(new Assignment(job.id(), candidates.get(best).courierId(), matrix.etaSeconds(best)));
    }

    RouteMatrix fetchRouteMatrix(DeliveryJob job, List<CourierPosition> couriers) {
        MatrixRequest body = MatrixRequest.of(job, couriers);
        RestClientException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return restTemplate.postForObject(routingBaseUrl + "/v1/matrix", body, RouteMatrix.class);
            } catch (HttpServerErrorException | ResourceAccessException e) {
                last = e;
                if (attempt == MAX_ATTEMPTS) {
                    break;
                }
                long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * (1L << (attempt - 1)));
                long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);   // full jitter
                log.warn("routing matrix attempt {}/{} failed, retrying in {} ms", attempt, MAX_ATTEMPTS, delay, e);
                backoff(delay);
            }
        }
        throw new RoutingUnavailableException("routing API failed after " + MAX_ATTEMPTS + " attempts", last);
    }

    private static void backoff(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new RoutingUnavailableException("interrupted while backing off", ie);
        }
    }

    public record CourierPosition(long courierId, double lat, double lng, boolean available, Instant seenAt) {}
}

// Why full jitter: with 4 pods all retrying on the same schedule you'd get synchronized waves of
// requests; randomizing the delay spreads them out. 5 attempts with a 5 s ceiling keeps the worst
// case under ~10 s, which is fine for the dispatcher UI.
