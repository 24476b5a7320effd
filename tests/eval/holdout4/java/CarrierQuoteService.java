package com.shipwell.rating.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shipwell.rating.model.CarrierQuote;
import com.shipwell.rating.model.QuoteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches LTL freight quotes from the carrier aggregator (FreightHub API).
 *
 * Quotes are cached per lane + weight bracket so the checkout page does not
 * hit the aggregator for every re-render.
 */
@Service
public class CarrierQuoteService {

    private static final Logger log = LoggerFactory.getLogger(CarrierQuoteService.class);
    private static final int MAX_ATTEMPTS = 4;

    // lane key -> last quote we got back
    private static final Map<String, CarrierQuote> QUOTES = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String apiKey;

    public CarrierQuoteService(ObjectMapper mapper,
                               @Value("${freighthub.base-url}") String baseUrl,
                               @Value("${freighthub.api-key}") String apiKey) {
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public CarrierQuote quote(QuoteRequest req) {
        String key = req.originZip() + ":" + req.destZip() + ":" + req.freightClass()
                + ":" + req.weightLbs().setScale(0, BigDecimal.ROUND_UP);
        CarrierQuote cached = QUOTES.get(key);
        if (cached != null && !cached.isExpired()) {
            return cached;
        }
        CarrierQuote fresh = fetchWithRetry(req);
        QUOTES.put(key, fresh);
        return fresh;
    }

    private CarrierQuote fetchWithRetry(QuoteRequest req) {
        String body;
        try {
            body = mapper.writeValueAsString(req);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad quote request", e);
        }

        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v2/quotes/ltl"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        int attempt = 0;
        while (true) {
            attempt++;
            try {
                HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() == 200) {
                    return mapper.readValue(resp.body(), CarrierQuote.class);
                }
                if (resp.statusCode() < 500 && resp.statusCode() != 429) {
                    throw new IllegalStateException("FreightHub rejected quote: " + resp.statusCode());
                }
                log.warn("FreightHub returned {} (attempt {})", resp.statusCode(), attempt);
            } catch (IOException e) {
                log.warn("FreightHub call failed (attempt {}): {}", attempt, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new IllegalStateException("FreightHub unavailable after " + attempt + " attempts");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ie);
            }
        }
    }
}
