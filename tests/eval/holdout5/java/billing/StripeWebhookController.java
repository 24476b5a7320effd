package com.gearhub.billing.web;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

import com.gearhub.billing.domain.*;
import com.gearhub.billing.loyalty.LoyaltyLedger;

@RestController
@RequestMapping("/webhooks")
@RequiredArgsConstructor
@Slf4j
public class StripeWebhookController {

    private final OrderRepository orders;
    private final LoyaltyLedger loyalty;
    private final RestTemplate restTemplate = new RestTemplate();

    @Value("${stripe.webhook-secret}")
    private String webhookSecret;

    @Value("${fulfillment.base-url}")
    private String fulfillmentUrl;

    @PostMapping("/stripe")
    public ResponseEntity<String> handle(@RequestBody String payload,
                                         @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, webhookSecret);
        } catch (SignatureVerificationException e) {
            log.warn("Invalid Stripe signature: {}", e.getMessage());
            return ResponseEntity.badRequest().body("invalid signature");
        }

        switch (event.getType()) {
            case "checkout.session.completed" -> {
                Session session = (Session) event.getDataObjectDeserializer().getObject().orElseThrow();
                Order order = orders.findByCheckoutSessionId(session.getId()).orElseThrow();
                order.setStatus(OrderStatus.PAID);
                orders.save(order);
                loyalty.addPoints(order.getCustomerId(), order.getTotalCents() / 100);
                requestShipment(order);
            }
            case "charge.refunded" -> {
                Charge charge = (Charge) event.getDataObjectDeserializer().getObject().orElseThrow();
                Order order = orders.findByPaymentIntentId(charge.getPaymentIntent()).orElseThrow();
                order.setStatus(OrderStatus.REFUNDED);
                orders.save(order);
                loyalty.deductPoints(order.getCustomerId(), charge.getAmountRefunded() / 100);
            }
            default -> log.debug("Ignoring Stripe event {}", event.getType());
        }
        return ResponseEntity.ok("ok");
    }

    private void requestShipment(Order order) {
        int attempts = 0;
        while (true) {
            try {
                restTemplate.postForEntity(fulfillmentUrl + "/shipments", ShipmentRequest.from(order), Void.class);
                return;
            } catch (RestClientException e) {
                attempts++;
                log.warn("Fulfillment call failed for order {} (attempt {})", order.getId(), attempts, e);
                if (attempts >= 5) {
                    throw e;
                }
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
