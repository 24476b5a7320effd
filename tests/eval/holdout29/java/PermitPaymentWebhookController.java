package org.darkskytrust.permits.web;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Receives "checkout.completed" events from the payment provider when an astronomer buys an
 * overnight permit for one of the dark-sky observing sites, issues the permit and pushes a
 * one-night code to the site's gate keypad.
 */
@RestController
@RequestMapping("/webhooks/payments")
public class PermitPaymentWebhookController {

    private static final Logger log = LoggerFactory.getLogger(PermitPaymentWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final SignatureVerifier signatures;
    private final RestTemplate gateApi;

    public PermitPaymentWebhookController(JdbcTemplate jdbc, ObjectMapper mapper,
                                          SignatureVerifier signatures, RestTemplateBuilder builder) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.signatures = signatures;
        this.gateApi = builder
            .rootUri("https://gates.darkskytrust.org/api")
            .setConnectTimeout(Duration.ofSeconds(3))
            .setReadTimeout(Duration.ofSeconds(5))
            .build();
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Void> handlePermitPaid(@RequestHeader("Payment-Signature") String sig,
                                                 @RequestBody String payload) throws Exception {
        if (!signatures.isValid(payload, sig)) {
            return ResponseEntity.status(401).build();
        }
        JsonNode event = mapper.readTree(payload);
        if (!"checkout.completed".equals(event.path("type").asText())) {
            return ResponseEntity.ok().build();
        }

        JsonNode meta = event.path("data").path("metadata");
        long siteId = meta.path("site_id").asLong();
        long observerId = meta.path("observer_id").asLong();
        LocalDate night = LocalDate.parse(meta.path("night").asText());

        Long permitId = jdbc.queryForObject(
            "INSERT INTO site_permits (site_id, observer_id, night, amount_pence) VALUES (?, ?, ?, ?) RETURNING id",
            Long.class, siteId, observerId, night, event.path("data").path("amount_total").asLong());

        jdbc.update("UPDATE observing_sites SET permits_sold = permits_sold + 1 WHERE id = ?", siteId);

        String gateCode = GateCodes.forNight(siteId, night, permitId);
        pushGateCode(siteId, night, gateCode);

        log.info("permit {} issued for site {} night {}", permitId, siteId, night);
        return ResponseEntity.ok().build();
    }

    private void pushGateCode(long siteId, LocalDate night, String code) {
        Map<String, Object> body = Map.of("site", siteId, "night", night.toString(), "code", code);
        RestClientException last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                gateApi.postForEntity("/keypads/{site}/codes", body, Void.class, siteId);
                return;
            } catch (RestClientException e) {
                last = e;
                log.warn("gate api attempt {} for site {} failed: {}", attempt, siteId, e.getMessage());
            }
        }
        throw new IllegalStateException("gate code not delivered for site " + siteId, last);
    }
}
