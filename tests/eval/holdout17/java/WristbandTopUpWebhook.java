package fest.cashless.topup;

import java.util.Map;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.net.Webhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import org.springframework.web.bind.annotation.*;

/**
 * Cashless wristbands for the festival.
 *
 *  - Stripe webhook: payment_intent.succeeded credits the wristband named in the intent metadata.
 *    Stripe delivers at-least-once, so every event id is recorded in stripe_events
 *    (PRIMARY KEY event_id) and the credit only happens when that insert actually inserted.
 *  - POS endpoint: bars and food trucks charge a tapped wristband. pos_txn_id is UNIQUE so a
 *    terminal that retries after a network blip cannot charge twice.
 */
@RestController
public class WristbandTopUpWebhook {

    private static final Logger log = LoggerFactory.getLogger(WristbandTopUpWebhook.class);

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final String endpointSecret;

    public WristbandTopUpWebhook(JdbcTemplate jdbc, ApplicationEventPublisher events,
                                 @Value("${stripe.webhook-secret}") String endpointSecret) {
        this.jdbc = jdbc;
        this.events = events;
        this.endpointSecret = endpointSecret;
    }

    @PostMapping("/webhooks/stripe/topups")
    @Transactional
    public ResponseEntity<String> handleStripe(@RequestBody String payload,
                                               @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, endpointSecret);
        } catch (SignatureVerificationException e) {
            log.warn("rejected webhook with bad signature: {}", e.getMessage());
            return ResponseEntity.badRequest().body("bad signature");
        }

        int fresh = jdbc.update(
                "INSERT INTO stripe_events (event_id, type, received_at) VALUES (?, ?, now()) ON CONFLICT (event_id) DO NOTHING",
                event.getId(), event.getType());
        if (fresh == 0) {
            log.info("duplicate delivery of {}, already applied", event.getId());
            return ResponseEntity.ok("duplicate");
        }

        if ("payment_intent.succeeded".equals(event.getType())) {
            PaymentIntent pi = (PaymentIntent) event.getDataObjectDeserializer().getObject()
                    .orElseThrow(() -> new IllegalStateException("cannot deserialize " + event.getId()));
            String uid = pi.getMetadata().get("wristband_uid");
            long festivalId = Long.parseLong(pi.getMetadata().get("festival_id"));
            int credited = jdbc.update(
                    "UPDATE wristbands SET balance_cents = balance_cents + ?, updated_at = now() WHERE uid = ? AND festival_id = ?",
                    pi.getAmountReceived(), uid, festivalId);
            if (credited != 1) {
                // throwing rolls back the stripe_events row as well, so Stripe's retry gets another go
                throw new IllegalStateException("wristband " + uid + " not found for event " + event.getId());
            }
            events.publishEvent(new TopUpApplied(festivalId, uid, pi.getAmountReceived()));
        }
        return ResponseEntity.ok("ok");
    }

    public record ChargeRequest(String posId, String posTxnId, long amountCents) {}

    @PostMapping("/festivals/{festivalId}/wristbands/{uid}/charges")
    @Transactional
    public ResponseEntity<?> charge(@PathVariable long festivalId, @PathVariable String uid,
                                    @RequestBody ChargeRequest req) {
        int recorded = jdbc.update(
                "INSERT INTO wristband_charges (festival_id, uid, pos_id, pos_txn_id, amount_cents) VALUES (?, ?, ?, ?, ?) " +
                "ON CONFLICT (pos_txn_id) DO NOTHING",
                festivalId, uid, req.posId(), req.posTxnId(), req.amountCents());
        if (recorded == 0) {
            return ResponseEntity.ok(Map.of("status", "already charged", "posTxnId", req.posTxnId()));
        }
        int debited = jdbc.update(
                "UPDATE wristbands SET balance_cents = balance_cents - ?, updated_at = now() " +
                "WHERE uid = ? AND festival_id = ? AND balance_cents >= ? AND NOT blocked",
                req.amountCents(), uid, festivalId, req.amountCents());
        if (debited == 0) {
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
            return ResponseEntity.status(402).body(Map.of("error", "insufficient balance or wristband blocked"));
        }
        return ResponseEntity.ok(Map.of("status", "charged"));
    }
}

record TopUpApplied(long festivalId, String uid, long amountCents) {}

// receipt push runs off the request thread, and only once the credit is committed
@org.springframework.stereotype.Component
class TopUpReceiptListener {
    private final PushGateway push;

    TopUpReceiptListener(PushGateway push) { this.push = push; }

    @org.springframework.scheduling.annotation.Async
    @org.springframework.transaction.event.TransactionalEventListener
    public void onTopUp(TopUpApplied e) {
        push.sendTopUpReceipt(e.festivalId(), e.uid(), e.amountCents());
    }
}
