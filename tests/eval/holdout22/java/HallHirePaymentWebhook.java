package org.stmarys.hallhire.payments;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Parish hall hire: hirers pay the deposit and the balance through the card provider, which
 * posts one event per request here; a hire is confirmed once deposit + balance cover the quote.
 */
@RestController
public class HallHirePaymentWebhook {

    private static final Logger log = LoggerFactory.getLogger(HallHirePaymentWebhook.class);

    private final JdbcTemplate jdbc;
    private final WebhookSignatureVerifier verifier;
    private final ObjectMapper json;
    private final HirerNotifier notifier;

    public HallHirePaymentWebhook(JdbcTemplate jdbc, WebhookSignatureVerifier verifier,
                                  ObjectMapper json, HirerNotifier notifier) {
        this.jdbc = jdbc;
        this.verifier = verifier;
        this.json = json;
        this.notifier = notifier;
    }

    @PostMapping("/webhooks/payments")
    @Transactional
    public ResponseEntity<Void> onEvents(@RequestHeader("Webhook-Signature") String signature,
                                         @RequestBody String payload) throws Exception {
        if (!verifier.isValid(payload, signature)) {
            return ResponseEntity.status(498).build();
        }
        Event event = json.readValue(payload, Event.class);
        if ("payments".equals(event.resourceType()) && "confirmed".equals(event.action())) {
            applyPayment(event);
        } else {
            log.debug("ignoring {} {}", event.resourceType(), event.action());
        }
        return ResponseEntity.noContent().build();
    }

    private void applyPayment(Event event) {
        long hireId = jdbc.queryForObject(
                "SELECT hire_id FROM hire_payments WHERE provider_payment_id = ?", Long.class, event.links().payment());
        BigDecimal paid = jdbc.queryForObject("SELECT amount_paid FROM hall_hires WHERE id = ?", BigDecimal.class, hireId);
        BigDecimal quote = jdbc.queryForObject("SELECT quoted_total FROM hall_hires WHERE id = ?", BigDecimal.class, hireId);

        BigDecimal newTotal = paid.add(event.amount());
        String status = newTotal.compareTo(quote) >= 0 ? "CONFIRMED" : "DEPOSIT_PAID";
        jdbc.update("UPDATE hall_hires SET amount_paid = ?, status = ? WHERE id = ?", newTotal, status, hireId);

        jdbc.update("INSERT INTO hire_ledger (hire_id, provider_payment_id, amount, kind) VALUES (?, ?, ?, 'PAYMENT')",
                hireId, event.links().payment(), event.amount());
        notifier.paymentReceived(hireId, event.amount(), status);
    }

    public record Event(String id, String resourceType, String action, BigDecimal amount, Links links) {}
    public record Links(String payment) {}
}
