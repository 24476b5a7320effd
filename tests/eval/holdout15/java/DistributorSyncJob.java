package com.hopyard.distribution.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

// pushes brewery shipments (kegs / cases) to distributor EDI endpoints
// TODO(mk): move to the new sync service once Three Rivers is onboarded
@Component
public class DistributorSyncJob {

    private static final Logger log = LoggerFactory.getLogger(DistributorSyncJob.class);

    // distributorId:date -> price list (sku -> cents)
    private static final Map<String, Map<String, Long>> PRICE_LISTS = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final RestTemplate rest;

    public DistributorSyncJob(JdbcTemplate jdbc, RestTemplateBuilder builder) {
        this.jdbc = jdbc;
        this.rest = builder
                .setConnectTimeout(Duration.ofSeconds(5))
                .setReadTimeout(Duration.ofSeconds(15))
                .build();
    }

    @Scheduled(fixedDelay = 300_000)
    public void pushPendingShipments() {
        List<Map<String, Object>> shipments = jdbc.queryForList(
                "SELECT s.id, s.distributor_id, s.invoice_no, d.api_endpoint " +
                "FROM shipments s JOIN distributors d ON d.id = s.distributor_id " +
                "WHERE s.synced_at IS NULL ORDER BY s.id LIMIT 200");

        for (Map<String, Object> s : shipments) {
            long shipmentId = ((Number) s.get("id")).longValue();
            long distributorId = ((Number) s.get("distributor_id")).longValue();

            List<Map<String, Object>> lines = jdbc.queryForList(
                    "SELECT sku, package_type, quantity FROM shipment_lines WHERE shipment_id = ?", shipmentId);

            Map<String, Long> prices = priceList(distributorId);
            List<Map<String, Object>> items = new ArrayList<>();
            for (Map<String, Object> l : lines) {
                Map<String, Object> item = new HashMap<>(l);
                item.put("unit_price_cents", prices.getOrDefault((String) l.get("sku"), 0L));
                items.add(item);
            }

            Map<String, Object> payload = Map.of(
                    "invoice", s.get("invoice_no"),
                    "items", items);

            push((String) s.get("api_endpoint"), payload);
            jdbc.update("UPDATE shipments SET synced_at = now() WHERE id = ?", shipmentId);
        }
    }

    private Map<String, Long> priceList(long distributorId) {
        String key = distributorId + ":" + LocalDate.now();
        return PRICE_LISTS.computeIfAbsent(key, k -> {
            Map<String, Long> m = new HashMap<>();
            jdbc.query("SELECT sku, price_cents FROM distributor_prices WHERE distributor_id = ? AND effective_on <= current_date",
                    rs -> { m.put(rs.getString("sku"), rs.getLong("price_cents")); }, distributorId);
            return m;
        });
    }

    private void push(String endpoint, Map<String, Object> payload) {
        int attempt = 0;
        while (true) {
            try {
                rest.postForEntity(endpoint + "/edi/v2/shipments", payload, Void.class);
                return;
            } catch (RestClientException e) {
                attempt++;
                log.warn("push to {} failed, attempt {}: {}", endpoint, attempt, e.getMessage());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while pushing shipment", ie);
                }
            }
        }
    }
}
