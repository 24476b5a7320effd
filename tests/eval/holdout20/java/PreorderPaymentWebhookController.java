package app.streetbite.preorders.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Payment provider callbacks for food-truck pre-orders. The provider retries failed
 * deliveries and occasionally sends the same event twice, so every event id is recorded
 * in processed_payment_events (primary key on event_id) inside the same transaction as
 * the order update.
 */
@RestController
@RequestMapping("/webhooks/payments")
public class PreorderPaymentWebhookController {

    private static final Logger log = LoggerFactory.getLogger(PreorderPaymentWebhookController.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final byte[] secret;

    public PreorderPaymentWebhookController(JdbcTemplate jdbc, ObjectMapper mapper,
                                            @Value("${payments.webhook-secret}") String secret) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public record PaymentEvent(String id, String type, String preorderId, long truckId, long amountCents) {}

    @PostMapping
    @Transactional
    public ResponseEntity<String> handle(@RequestHeader("X-Signature") String signature,
                                         @RequestBody String body) throws Exception {
        if (!signatureMatches(body, signature)) {
            return ResponseEntity.status(401).body("bad signature");
        }
        PaymentEvent event = mapper.readValue(body, PaymentEvent.class);

        int fresh = jdbc.update(
                "INSERT INTO processed_payment_events (event_id, event_type) VALUES (?, ?) "
                        + "ON CONFLICT (event_id) DO NOTHING",
                event.id(), event.type());
        if (fresh == 0) {
            log.info("payment event {} already processed, acknowledging", event.id());
            return ResponseEntity.ok("duplicate");
        }

        try {
            switch (event.type()) {
                case "payment.succeeded" -> {
                    int rows = jdbc.update(
                            "UPDATE preorders SET status = 'PAID', paid_cents = ?, paid_at = now() "
                                    + "WHERE id = ? AND truck_id = ? AND status = 'AWAITING_PAYMENT'",
                            event.amountCents(), event.preorderId(), event.truckId());
                    if (rows == 0) {
                        log.warn("payment {} for preorder {} did not match an awaiting order",
                                event.id(), event.preorderId());
                    } else {
                        jdbc.update("INSERT INTO kitchen_queue (truck_id, preorder_id, queued_at) VALUES (?, ?, now())",
                                event.truckId(), event.preorderId());
                    }
                }
                case "payment.refunded" -> jdbc.update(
                        "UPDATE preorders SET status = 'REFUNDED' WHERE id = ? AND truck_id = ? AND status = 'PAID'",
                        event.preorderId(), event.truckId());
                default -> log.debug("ignoring payment event type {}", event.type());
            }
        } catch (DataAccessException e) {
            // Roll back (including the processed-event row) so the provider's retry is applied
            log.error("failed to apply payment event {} for preorder {}", event.id(), event.preorderId(), e);
            throw e;
        }
        return ResponseEntity.ok("ok");
    }

    private boolean signatureMatches(String body, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        byte[] expected = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    }
}
