package org.tractorrally.pitches.weather;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Ground-condition forecasts for the rally field, used when allocating pitches:
 * heavy tractors and steam engines go on the firm, well-drained strips if rain is due.
 *
 * Calls the agri-weather provider's point forecast endpoint (grid reference + date).
 */
@Component
public class RallyGroundForecastClient {

    private static final Logger log = LoggerFactory.getLogger(RallyGroundForecastClient.class);
    private static final int MAX_ATTEMPTS = 4;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, GroundForecast> forecasts = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String apiKey;

    public RallyGroundForecastClient(ObjectMapper mapper,
                                     @Value("${agriweather.base-url}") String baseUrl,
                                     @Value("${agriweather.api-key}") String apiKey) {
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public record GroundForecast(String gridRef, LocalDate day, double rainMm, double soilMoisturePct) {
        public boolean suitableForHeavyExhibits() {
            return rainMm < 5.0 && soilMoisturePct < 38.0;
        }
    }

    /** One upstream call per grid square and day; the pitch planner asks for the same squares a lot. */
    public GroundForecast forecastFor(String gridRef, LocalDate day) {
        return forecasts.computeIfAbsent(gridRef + "|" + day, k -> {
            try {
                return fetch(gridRef, day);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted fetching forecast for " + gridRef, e);
            }
        });
    }

    private GroundForecast fetch(String gridRef, LocalDate day) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder()
                .uri(URI.create(baseUrl + "/v1/point?grid=" + gridRef + "&date=" + day))
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json")
                .GET()
                .build();

        IOException lastFailure = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode body = mapper.readTree(response.body());
                    return new GroundForecast(gridRef, day,
                            body.path("precipitation_mm").asDouble(),
                            body.path("soil_moisture_pct").asDouble());
                }
                lastFailure = new IOException("agri-weather returned HTTP " + response.statusCode());
                log.warn("Forecast for {} on {}: HTTP {} (attempt {}/{})",
                        gridRef, day, response.statusCode(), attempt, MAX_ATTEMPTS);
            } catch (IOException e) {
                lastFailure = e;
                log.warn("Forecast for {} on {} failed (attempt {}/{})", gridRef, day, attempt, MAX_ATTEMPTS, e);
            }
            Thread.sleep(200);
        }
        throw lastFailure;
    }
}
