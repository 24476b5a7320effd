package com.shopfront.pricing;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

@Configuration
@EnableCaching
class PricingCacheConfig {

    @Bean
    CacheManager cacheManager() {
        CaffeineCacheManager manager = new CaffeineCacheManager("fxRates", "shippingZones");
        manager.setCaffeine(Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(Duration.ofMinutes(10))
                .recordStats());
        return manager;
    }
}

/**
 * Converts catalog prices (EUR) to the shopper's display currency.
 * Rates are identical for every shopper, so the cache key is just the base currency.
 */
@Service
@Slf4j
public class ExchangeRateService {

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI ratesEndpoint;

    public ExchangeRateService(ObjectMapper mapper, @Value("${fx.rates-url}") URI ratesEndpoint) {
        this.mapper = mapper;
        this.ratesEndpoint = ratesEndpoint;
        // single client for the app, it keeps its own connection pool
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    // sync = true: on a miss only one thread calls the provider, the others wait for its result
    @Cacheable(cacheNames = "fxRates", key = "#base", sync = true)
    public Map<String, BigDecimal> ratesFor(String base) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ratesEndpoint + "?base=" + base))
                .timeout(Duration.ofSeconds(3))
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new FxUnavailableException("FX provider returned HTTP " + resp.statusCode());
            }
            return mapper.readValue(resp.body(), RatesPayload.class).rates();
        } catch (IOException e) {
            log.error("FX rate fetch failed for base {}", base, e);
            throw new FxUnavailableException("FX provider unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FxUnavailableException("Interrupted while fetching FX rates", e);
        }
    }

    record RatesPayload(String base, Map<String, BigDecimal> rates) {}
}

/** Called by the cart and product DTO mappers; goes through the cached proxy above. */
@Component
@RequiredArgsConstructor
class PriceConverter {

    private final ExchangeRateService rates;

    BigDecimal convert(BigDecimal amountEur, String targetCurrency) {
        if ("EUR".equals(targetCurrency)) {
            return amountEur;
        }
        BigDecimal rate = rates.ratesFor("EUR").get(targetCurrency);
        if (rate == null) {
            throw new IllegalArgumentException("Unsupported currency " + targetCurrency);
        }
        return amountEur.multiply(rate).setScale(2, RoundingMode.HALF_EVEN);
    }
}
