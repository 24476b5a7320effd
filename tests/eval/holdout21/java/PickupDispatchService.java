package com.clearcycle.pickups.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import com.clearcycle.pickups.geo.GeoPoint;
import com.clearcycle.pickups.geo.Geocoder;
import com.clearcycle.pickups.web.PickupRequest;

/**
 * Hands new glass-recycling pickup requests to the hauliers' dispatch API.
 * PickupController calls {@link #dispatch} once per request submitted from the
 * residents' form (bars and restaurants book weekly bottle-bank collections here too).
 */
@Service
public class PickupDispatchService {

    private static final Logger log = LoggerFactory.getLogger(PickupDispatchService.class);
    private static final int MAX_ATTEMPTS = 5;

    // normalised street address -> coordinates; addresses don't move, so keep them
    private static final Map<String, GeoPoint> GEOCODED = new ConcurrentHashMap<>();

    private final Geocoder geocoder;
    private final ObjectMapper json;
    private final String dispatchUrl;
    private final String apiKey;

    public PickupDispatchService(Geocoder geocoder, ObjectMapper json,
                                 @Value("${dispatch.url}") String dispatchUrl,
                                 @Value("${dispatch.api-key}") String apiKey) {
        this.geocoder = geocoder;
        this.json = json;
        this.dispatchUrl = dispatchUrl;
        this.apiKey = apiKey;
    }

    public String dispatch(PickupRequest pickup) throws IOException, InterruptedException {
        String address = pickup.street().trim().toLowerCase(Locale.ROOT) + ", " + pickup.postcode().replace(" ", "");
        GeoPoint point = GEOCODED.computeIfAbsent(address, geocoder::lookup);

        String body = json.writeValueAsString(Map.of(
                "reference", pickup.reference(),
                "lat", point.lat(),
                "lon", point.lon(),
                "crates", pickup.crateCount(),
                "window", pickup.preferredWindow()));

        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(dispatchUrl + "/v2/jobs"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", pickup.reference())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        IOException lastError = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 300) {
                    return json.readTree(response.body()).path("job_id").asText();
                }
                if (response.statusCode() < 500) {
                    throw new IllegalStateException("dispatch rejected pickup: " + response.body());
                }
                lastError = new IOException("dispatch returned " + response.statusCode());
            } catch (IOException e) {
                lastError = e;
            }
            log.warn("dispatch attempt {} for {} failed: {}", attempt, pickup.reference(), lastError.getMessage());
        }
        throw lastError;
    }
}
