/*
 * Q: "Stripe retried a checkout.session.completed webhook and our sellers got credited twice
 *     for the same textbook sale. How do I fix this?"
 *
 * A: Stripe delivers webhooks at-least-once, so the handler has to be idempotent. The version
 *    below records the event id in a table with a primary key *in the same transaction* as the
 *    wallet credit, and the credit itself is a single atomic UPDATE instead of read-modify-write.
 *    If anything fails we log it and rethrow, so Stripe gets a 500 and retries later.
 *
 *    CREATE TABLE processed_stripe_events (
 *        event_id     text PRIMARY KEY,
 *        event_type   text NOT NULL,
 *        processed_at timestamptz NOT NULL DEFAULT now()
 *    );
 */
package com.shelfback.payments;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/webhooks")
public class BuybackPayoutWebhook {

    private static final Logger log = LoggerFactory.getLogger(BuybackPayoutWebhook.class);

    private final SaleSettlementService settlement;

    @Value("${stripe.webhook-secret}")
    private String webhookSecret;

    public BuybackPayoutWebhook(SaleSettlementService settlement) {
        this.settlement = settlement;
    }

    @PostMapping("/stripe")
    public ResponseEntity<Void> onStripeEvent(@RequestBody String payload,
                                              @RequestHeader("Stripe-Signature") String signature) {
        final Event event;
        try {
            event = Webhook.constructEvent(payload, signature, webhookSecret);
        } catch (SignatureVerificationException e) {
            log.warn("Rejected Stripe webhook with invalid signature");
            return ResponseEntity.badRequest().build();
        }

        if (!"checkout.session.completed".equals(event.getType())) {
            return ResponseEntity.ok().build();
        }

        try {
            settlement.settle(event);
        } catch (RuntimeException e) {
            log.error("Failed to settle Stripe event {}", event.getId(), e);
            throw e;
        }
        return ResponseEntity.ok().build();
    }
}

@Service
class SaleSettlementService {

    private final JdbcTemplate jdbc;

    SaleSettlementService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void settle(Event event) {
        int firstTime = jdbc.update("""
                INSERT INTO processed_stripe_events (event_id, event_type)
                VALUES (?, ?)
                ON CONFLICT (event_id) DO NOTHING
                """, event.getId(), event.getType());
        if (firstTime == 0) {
            return; // already handled this delivery
        }

        Session session = (Session) event.getDataObjectDeserializer().getObject().orElseThrow();
        long listingId = Long.parseLong(session.getMetadata().get("listing_id"));

        jdbc.update("UPDATE listings SET status = 'SOLD', sold_at = now() WHERE id = ? AND status = 'RESERVED'",
                listingId);

        // seller gets 70% of the sale price; atomic increment, no read-modify-write
        jdbc.update("""
                UPDATE seller_wallets w
                   SET balance_cents = w.balance_cents + (l.price_cents * 70 / 100)
                  FROM listings l
                 WHERE l.id = ? AND w.seller_id = l.seller_id
                """, listingId);
    }
}
