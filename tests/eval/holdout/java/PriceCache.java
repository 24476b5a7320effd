package com.example.pricing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

@Component
public class PriceCache {

    private final Map<String, Long> prices = new ConcurrentHashMap<>();
    private final RestClient rest;

    public PriceCache(RestClient.Builder builder) {
        this.rest = builder.baseUrl("https://pricing.internal").build();
    }

    public long price(String sku) {
        return prices.computeIfAbsent(sku, s -> rest.get().uri("/prices/{sku}", s).retrieve().body(Long.class));
    }
}
