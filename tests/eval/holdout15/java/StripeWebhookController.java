package com.inkdrop.shop.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.inkdrop.shop.orders.PrintOrder;
import com.inkdrop.shop.orders.PrintOrderRepository;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

@RestController
public class StripeWebhookController {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final PrintOrderRepository orders;
    private final PrintPartnerClient printPartner;
    private final String endpointSecret;

    public StripeWebhookController(PrintOrderRepository orders, PrintPartnerClient printPartner,
                                   @Value("${stripe.webhook-secret}") String endpointSecret) {
        this.orders = orders;
        this.printPartner = printPartner;
        this.endpointSecret = endpointSecret;
    }

    @PostMapping("/webhooks/stripe")
    @Transactional
    public ResponseEntity<String> handle(@RequestBody String payload,
                                         @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, endpointSecret);
        } catch (SignatureVerificationException e) {
            log.warn("bad stripe signature");
            return ResponseEntity.badRequest().body("invalid signature");
        }

        if ("checkout.session.completed".equals(event.getType())) {
            Session session = (Session) event.getDataObjectDeserializer().getObject().orElseThrow();
            PrintOrder order = PrintOrder.fromCheckout(session);   // shirts/mugs/posters from the cart metadata
            orders.save(order);
            String partnerRef = printPartner.submit(order);
            order.setPartnerRef(partnerRef);
            log.info("order {} sent to print partner as {}", order.getId(), partnerRef);
        }
        return ResponseEntity.ok("received");
    }
}

@Service
class PrintPartnerClient {

    private final ObjectMapper json = new ObjectMapper();

    @Value("${printpartner.base-url}")
    private String baseUrl;

    @Value("${printpartner.api-key}")
    private String apiKey;

    String submit(PrintOrder order) {
        HttpClient client = HttpClient.newHttpClient();
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/orders"))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(order.toPartnerPayload())))
                    .build();
            HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() >= 300) {
                throw new IllegalStateException("print partner rejected order: " + resp.statusCode() + " " + resp.body());
            }
            return json.readTree(resp.body()).path("id").asText();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("print partner unreachable", e);
        }
    }
}
