package com.whitechapelbells.orders.web;

import java.math.BigDecimal;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.whitechapelbells.payments.SignatureVerifier;

/**
 * Receives payment events for bell casting orders. A parish pays a deposit before the
 * bell is moulded; once it clears we book a slot on the furnace schedule and let the
 * workshop system know so the loam moulders can start on the cope.
 */
@RestController
@RequestMapping("/webhooks/payments")
public class CastingDepositWebhookController {

    private static final Logger log = LoggerFactory.getLogger(CastingDepositWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final SignatureVerifier verifier;
    private final RestTemplate workshop;

    public CastingDepositWebhookController(JdbcTemplate jdbc, ObjectMapper mapper,
                                           SignatureVerifier verifier, RestTemplateBuilder builder) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.verifier = verifier;
        this.workshop = builder
                .rootUri("http://workshop-planner.internal")
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(5))
                .build();
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Void> handlePaymentEvent(@RequestHeader("Payment-Signature") String signature,
                                                   @RequestBody String body) throws Exception {
        if (!verifier.isValid(body, signature)) {
            return ResponseEntity.badRequest().build();
        }
        JsonNode event = mapper.readTree(body);
        if (!"charge.succeeded".equals(event.path("type").asText())) {
            return ResponseEntity.ok().build();
        }

        JsonNode charge = event.path("data").path("object");
        long orderId = charge.path("metadata").path("casting_order_id").asLong();
        BigDecimal amount = new BigDecimal(charge.path("amount").asText()).movePointLeft(2);

        jdbc.update("UPDATE casting_orders SET deposit_paid = deposit_paid + ?, status = 'DEPOSIT_RECEIVED', "
                + "updated_at = now() WHERE id = ?", amount, orderId);

        // Bells over 500 kg need the big furnace; the planner picks the first free pour day.
        jdbc.update("INSERT INTO furnace_schedule (casting_order_id, furnace, pour_week) "
                + "SELECT id, CASE WHEN weight_kg > 500 THEN 'LARGE' ELSE 'SMALL' END, "
                + "date_trunc('week', now()) + interval '3 weeks' FROM casting_orders WHERE id = ?", orderId);

        notifyWorkshop(orderId);
        return ResponseEntity.ok().build();
    }

    private void notifyWorkshop(long orderId) throws InterruptedException {
        RestClientException last = null;
        for (int attempt = 1; attempt <= 6; attempt++) {
            try {
                workshop.postForEntity("/api/casting-orders/{id}/ready-for-moulding", null, Void.class, orderId);
                return;
            } catch (RestClientException e) {
                last = e;
                log.warn("workshop planner rejected order {} (attempt {}): {}", orderId, attempt, e.getMessage());
                Thread.sleep(250);
            }
        }
        log.error("giving up notifying workshop planner about order {}", orderId, last);
    }
}
