package com.example.catalog;

import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestTemplate;

@Component
public class CatalogClient {

    private final RestTemplate rest;

    public CatalogClient(@Qualifier("catalogRestTemplate") RestTemplate rest) {
        this.rest = rest;
    }

    public Product product(String sku) {
        return rest.getForObject("https://catalog.internal/api/products/{sku}", Product.class, sku);
    }

    public List<Product> products(List<String> skus) {
        return skus.stream().map(this::product).toList();
    }

    public record Product(String sku, String name, long priceCents) {}
}
