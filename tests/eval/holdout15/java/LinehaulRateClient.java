package com.twobrothersmoving.quotes.rates;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches linehaul (long-distance) rates from the van line's rating API.
 *
 * Fix for "quote page hangs when the van line API is slow":
 *  - one shared HttpClient with a connect timeout, and a per-request timeout
 *  - bounded Caffeine cache (rates are the same for every customer on a lane)
 *  - failures are logged with context and rethrown so the controller can fall back
 *    to the local tariff table instead of showing a made-up price
 */
@Component
public class LinehaulRateClient {

    private static final Logger log = LoggerFactory.getLogger(LinehaulRateClient.class);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final Cache<String, LinehaulRate> rates = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(Duration.ofHours(6))
            .build();

    private final ObjectMapper json;
    private final String baseUrl;
    private final String apiKey;

    public LinehaulRateClient(ObjectMapper json,
                              @Value("${vanline.base-url}") String baseUrl,
                              @Value("${vanline.api-key}") String apiKey) {
        this.json = json;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** Weight is bucketed to 500 lb so lanes share cache entries. */
    public LinehaulRate rateFor(String originZip3, String destZip3, int weightLbs) {
        int bucket = ((weightLbs + 499) / 500) * 500;
        String key = originZip3 + "-" + destZip3 + "-" + bucket;
        return rates.get(key, k -> fetch(originZip3, destZip3, bucket));
    }

    private LinehaulRate fetch(String originZip3, String destZip3, int weightLbs) {
        URI uri = URI.create(String.format("%s/v3/linehaul?origin=%s&dest=%s&weight=%d",
                baseUrl, originZip3, destZip3, weightLbs));
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(5))
                .header("X-Api-Key", apiKey)
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new RateUnavailableException("van line returned " + resp.statusCode() + " for " + uri.getQuery());
            }
            return json.readValue(resp.body(), LinehaulRate.class);
        } catch (IOException e) {
            log.error("linehaul rate lookup failed for {} -> {} ({} lbs)", originZip3, destZip3, weightLbs, e);
            throw new RateUnavailableException("linehaul rate lookup failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RateUnavailableException("interrupted during rate lookup", e);
        }
    }
}
