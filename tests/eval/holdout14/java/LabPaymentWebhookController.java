/*
 * Payments for dental lab case orders (crowns, aligners, dentures).
 * k8s: deployment/dentalab-api, replicas: 2, HPA up to 6.
 */
package com.brightbite.lab.payments;

import com.brightbite.lab.orders.ClinicCreditRepository;
import com.brightbite.lab.orders.LabOrder;
import com.brightbite.lab.orders.LabOrderRepository;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.net.Webhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

@RestController
@RequestMapping("/api")
public class LabPaymentWebhookController {

    private static final Logger log = LoggerFactory.getLogger(LabPaymentWebhookController.class);

    // order id -> latest payment state; the clinic portal polls this while checkout is open
    private final Map<Long, String> paymentStatus = new ConcurrentHashMap<>();

    private final LabOrderRepository orders;
    private final ClinicCreditRepository credits;

    @Value("${stripe.webhook-secret}")
    private String webhookSecret;

    @Value("${lab.production-api}")
    private String labBaseUrl;

    public LabPaymentWebhookController(LabOrderRepository orders, ClinicCreditRepository credits) {
        this.orders = orders;
        this.credits = credits;
    }

    @PostMapping("/webhooks/stripe")
    public ResponseEntity<String> stripeWebhook(@RequestBody String payload,
                                                @RequestHeader("Stripe-Signature") String signature) throws Exception {
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, webhookSecret);
        } catch (SignatureVerificationException e) {
            log.warn("rejected webhook with bad signature");
            return ResponseEntity.badRequest().body("invalid signature");
        }

        PaymentIntent pi = (PaymentIntent) event.getDataObjectDeserializer().getObject().orElseThrow();
        long orderId = Long.parseLong(pi.getMetadata().get("lab_order_id"));

        switch (event.getType()) {
            case "payment_intent.succeeded" -> {
                LabOrder order = orders.findById(orderId).orElseThrow();
                order.setStatus("PAID");
                orders.save(order);
                // 2% loyalty credit on every paid case
                credits.addCredit(order.getClinicId(), pi.getAmountReceived() / 50);
                releaseToProduction(order);
                paymentStatus.put(orderId, "PAID");
            }
            case "payment_intent.payment_failed" -> paymentStatus.put(orderId, "FAILED");
            default -> log.debug("ignoring {}", event.getType());
        }
        return ResponseEntity.ok("received");
    }

    @GetMapping("/orders/{orderId}/payment-status")
    public Map<String, String> paymentStatus(@PathVariable long orderId) {
        return Map.of("status", paymentStatus.getOrDefault(orderId, "PENDING"));
    }

    /** Tells the lab floor system the case can go into production. */
    private void releaseToProduction(LabOrder order) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(labBaseUrl + "/cases/" + order.getCaseNumber() + "/release"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<Void> resp = client.send(req, HttpResponse.BodyHandlers.discarding());
        if (resp.statusCode() >= 300) {
            throw new IOException("lab floor API returned " + resp.statusCode());
        }
    }
}
