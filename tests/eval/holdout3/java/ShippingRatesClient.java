package com.parcelpoint.quotes.carrier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Production-ready client for the carrier rate API.
 *  - one shared HttpClient (connection pool reused across requests)
 *  - connect timeout + per-request timeout
 *  - retries with exponential backoff + jitter, capped at 4 attempts
 *  - bounded Caffeine cache; concurrent misses for the same lane share one load
 */
@Component
public class ShippingRatesClient {

    private static final Logger log = LoggerFactory.getLogger(ShippingRatesClient.class);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_2)
            .build();

    private final Retry retry = Retry.of("carrier-rates", RetryConfig.custom()
            .maxAttempts(4)
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(3)))
            .retryExceptions(IOException.class, CarrierUnavailableException.class)
            .build());

    private final LoadingCache<Lane, List<RateQuote>> quotes = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(Duration.ofMinutes(15))
            .recordStats()
            .build(this::fetchQuotes);

    private final ObjectMapper mapper;
    private final URI endpoint;
    private final String apiKey;

    public ShippingRatesClient(ObjectMapper mapper,
                               @Value("${carrier.rates-url}") URI endpoint,
                               @Value("${carrier.api-key}") String apiKey) {
        this.mapper = mapper;
        this.endpoint = endpoint;
        this.apiKey = apiKey;
    }

    public List<RateQuote> ratesFor(Lane lane) {
        return quotes.get(lane);
    }

    private List<RateQuote> fetchQuotes(Lane lane) {
        return Retry.decorateCheckedSupplier(retry, () -> callCarrier(lane)).unchecked().get();
    }

    private List<RateQuote> callCarrier(Lane lane) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(lane)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 500 || response.statusCode() == 429) {
            log.warn("Carrier returned {} for lane {}", response.statusCode(), lane);
            throw new CarrierUnavailableException(response.statusCode());
        }
        if (response.statusCode() != 200) {
            throw new CarrierRejectedException(response.statusCode(), new String(response.body()));
        }
        return List.of(mapper.readValue(response.body(), RateQuote[].class));
    }
}
