package com.example.billing;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.net.Webhook;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

@RestController
public class StripeWebhookController {

    private final JdbcTemplate jdbc;
    private final String secret;

    public StripeWebhookController(JdbcTemplate jdbc, @Value("${stripe.webhook-secret}") String secret) {
        this.jdbc = jdbc;
        this.secret = secret;
    }

    @PostMapping("/webhooks/stripe")
    public ResponseEntity<String> handle(@RequestBody String payload,
                                         @RequestHeader("Stripe-Signature") String signature) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, secret);
        } catch (SignatureVerificationException e) {
            return ResponseEntity.badRequest().body("bad signature");
        }
        if ("invoice.paid".equals(event.getType())) {
            Invoice invoice = (Invoice) event.getDataObjectDeserializer().getObject().orElseThrow();
            jdbc.update("UPDATE accounts SET credits = credits + ? WHERE stripe_customer = ?",
                    invoice.getAmountPaid() / 100, invoice.getCustomer());
            jdbc.update("INSERT INTO payments (stripe_invoice, amount) VALUES (?, ?)",
                    invoice.getId(), invoice.getAmountPaid());
        }
        return ResponseEntity.ok("ok");
    }
}
