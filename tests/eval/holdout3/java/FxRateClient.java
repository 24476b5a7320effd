package com.ledgerly.fx;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Thin client for the upstream FX provider (api.fxfeed.io).
 * Rates are cached in-process so we don't pay per lookup.
 */
@Component
public class FxRateClient {

    private static final Logger log = LoggerFactory.getLogger(FxRateClient.class);
    private static final int MAX_ATTEMPTS = 5;

    // key: "EUR/USD@2024-03-01"
    private final Map<String, BigDecimal> rateCache = new ConcurrentHashMap<>();

    private final RestTemplate restTemplate = new RestTemplate();

    private final String baseUrl;
    private final String apiKey;

    public FxRateClient(@Value("${fx.base-url}") String baseUrl,
                        @Value("${fx.api-key}") String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public BigDecimal rate(String from, String to, LocalDate day) {
        String key = from + "/" + to + "@" + day;
        BigDecimal cached = rateCache.get(key);
        if (cached != null) {
            return cached;
        }
        BigDecimal fetched = fetchWithRetry(from, to, day);
        rateCache.put(key, fetched);
        return fetched;
    }

    public BigDecimal convert(BigDecimal amount, String from, String to, LocalDate day) {
        if (from.equals(to)) {
            return amount;
        }
        return amount.multiply(rate(from, to, day));
    }

    private BigDecimal fetchWithRetry(String from, String to, LocalDate day) {
        String url = baseUrl + "/v2/historical?base={from}&symbols={to}&date={day}&apikey={key}";
        RestClientException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                FxResponse resp = restTemplate.getForObject(url, FxResponse.class, from, to, day, apiKey);
                if (resp != null && resp.rates() != null && resp.rates().containsKey(to)) {
                    return resp.rates().get(to);
                }
                throw new IllegalStateException("FX provider returned no rate for " + from + "/" + to);
            } catch (RestClientException e) {
                last = e;
                log.warn("FX lookup {}->{} failed (attempt {}/{}): {}", from, to, attempt, MAX_ATTEMPTS, e.getMessage());
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ie);
                }
            }
        }
        throw new IllegalStateException("FX provider unavailable after " + MAX_ATTEMPTS + " attempts", last);
    }

    record FxResponse(String base, LocalDate date, Map<String, BigDecimal> rates) {}
}
