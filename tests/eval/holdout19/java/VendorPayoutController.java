package fair.makersmarket.payouts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.net.Webhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Craft-fair vendor payouts.
 *  - Stripe webhook credits the vendor's balance when a shopper's card payment succeeds
 *  - Nightly job pushes vendor balances to the bank-transfer partner (Fairpay ACH API)
 */
@RestController
public class VendorPayoutController {

    private static final Logger log = LoggerFactory.getLogger(VendorPayoutController.class);

    private static final HttpClient ACH = HttpClient.newHttpClient();

    private final JdbcTemplate jdbc;

    @Value("${stripe.webhook-secret}")
    private String webhookSecret;

    @Value("${fairpay.base-url}")
    private String fairpayUrl;

    public VendorPayoutController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping("/webhooks/stripe")
    @Transactional
    public ResponseEntity<String> stripeWebhook(@RequestBody String payload,
                                                @RequestHeader("Stripe-Signature") String sig) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sig, webhookSecret);
        } catch (SignatureVerificationException e) {
            log.warn("bad stripe signature", e);
            return ResponseEntity.badRequest().body("bad signature");
        }

        if ("payment_intent.succeeded".equals(event.getType())) {
            PaymentIntent pi = (PaymentIntent) event.getDataObjectDeserializer().getObject().orElseThrow();
            long vendorId = Long.parseLong(pi.getMetadata().get("vendor_id"));
            long net = pi.getAmountReceived() - Long.parseLong(pi.getMetadata().getOrDefault("fair_fee", "0"));

            jdbc.update("UPDATE vendors SET balance_cents = balance_cents + ? WHERE id = ?", net, vendorId);
            jdbc.update("INSERT INTO vendor_ledger (vendor_id, amount_cents, source, ref) VALUES (?, ?, 'card_sale', ?)",
                    vendorId, net, pi.getId());
        }
        return ResponseEntity.ok("ok");
    }

    // 02:30 every night, one instance only (ShedLock on the payouts table)
    @Scheduled(cron = "0 30 2 * * *")
    public void pushNightlyPayouts() {
        List<Map<String, Object>> due = jdbc.queryForList(
                "SELECT id, bank_token, balance_cents FROM vendors WHERE balance_cents >= 2000");
        for (Map<String, Object> v : due) {
            long vendorId = ((Number) v.get("id")).longValue();
            long amount = ((Number) v.get("balance_cents")).longValue();
            String body = "{\"vendor\":%d,\"token\":\"%s\",\"amount_cents\":%d}"
                    .formatted(vendorId, v.get("bank_token"), amount);
            if (sendTransfer(body)) {
                jdbc.update("UPDATE vendors SET balance_cents = balance_cents - ? WHERE id = ?", amount, vendorId);
            }
        }
    }

    private boolean sendTransfer(String body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(fairpayUrl + "/v1/transfers"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        int attempt = 0;
        while (attempt < 5) {
            attempt++;
            try {
                HttpResponse<String> resp = ACH.send(req, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() / 100 == 2) {
                    return true;
                }
                log.warn("fairpay returned {} (attempt {})", resp.statusCode(), attempt);
            } catch (IOException | InterruptedException e) {
                log.warn("fairpay call failed (attempt {})", attempt, e);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
