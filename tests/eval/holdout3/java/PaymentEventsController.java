package com.kettleandco.checkout.stripe;

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
class PaymentEventsController {

    private static final Logger log = LoggerFactory.getLogger(PaymentEventsController.class);

    private final PaymentEventProcessor processor;
    private final String signingSecret;

    PaymentEventsController(PaymentEventProcessor processor,
                            @Value("${stripe.signing-secret}") String signingSecret) {
        this.processor = processor;
        this.signingSecret = signingSecret;
    }

    @PostMapping("/stripe/events")
    ResponseEntity<Void> receive(@RequestBody String body,
                                 @RequestHeader("Stripe-Signature") String signature) {
        final Event event;
        try {
            event = Webhook.constructEvent(body, signature, signingSecret);
        } catch (SignatureVerificationException e) {
            log.warn("Rejected Stripe webhook with bad signature", e);
            return ResponseEntity.badRequest().build();
        }
        // Any exception below propagates -> 500 -> Stripe redelivers; the dedup row rolls back with it.
        processor.process(event);
        return ResponseEntity.ok().build();
    }
}

@Service
class PaymentEventProcessor {

    private static final Logger log = LoggerFactory.getLogger(PaymentEventProcessor.class);

    private final JdbcTemplate jdbc;

    PaymentEventProcessor(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void process(Event event) {
        int inserted = jdbc.update("""
                INSERT INTO processed_stripe_events (event_id, event_type, received_at)
                VALUES (?, ?, now())
                ON CONFLICT (event_id) DO NOTHING
                """, event.getId(), event.getType());
        if (inserted == 0) {
            log.info("Stripe event {} already processed, skipping", event.getId());
            return;
        }

        if (!"checkout.session.completed".equals(event.getType())) {
            return;
        }
        Session session = (Session) event.getDataObjectDeserializer().getObject()
                .orElseThrow(() -> new IllegalStateException("cannot deserialize " + event.getId()));
        long orderId = Long.parseLong(session.getClientReferenceId());

        int paid = jdbc.update("""
                UPDATE orders SET status = 'PAID', paid_at = now(), stripe_session_id = ?
                 WHERE id = ? AND status = 'AWAITING_PAYMENT'
                """, session.getId(), orderId);
        if (paid == 0) {
            log.warn("Order {} not awaiting payment (session {})", orderId, session.getId());
            return;
        }

        // decrement stock for all lines in one statement; the WHERE clause keeps it atomic and never negative
        Integer lines = jdbc.queryForObject(
                "SELECT COUNT(*) FROM order_items WHERE order_id = ?", Integer.class, orderId);
        int decremented = jdbc.update("""
                UPDATE products p
                   SET stock = p.stock - oi.quantity
                  FROM order_items oi
                 WHERE oi.order_id = ?
                   AND oi.product_id = p.id
                   AND p.stock >= oi.quantity
                """, orderId);
        if (lines == null || decremented != lines) {
            // rolls back the order status and the dedup row; ops get paged via OutOfStockException handler
            throw new OutOfStockException(orderId);
        }
    }
}
