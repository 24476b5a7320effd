package io.ticketswap.resale.payments;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

import java.util.Map;

/**
 * Handles Stripe events for resale checkouts.
 * On checkout.session.completed we mark the listing sold, transfer the ticket at the
 * primary issuer and credit the seller's pending payout balance.
 */
@Slf4j
@RestController
public class StripeWebhookController {

    private final JdbcTemplate jdbc;
    private final RestTemplate issuerApi; // configured in IssuerClientConfig (timeouts 2s/5s)

    @Value("${stripe.webhook-secret}")
    private String endpointSecret;

    public StripeWebhookController(JdbcTemplate jdbc, RestTemplate issuerApi) {
        this.jdbc = jdbc;
        this.issuerApi = issuerApi;
    }

    @PostMapping("/webhooks/stripe")
    public ResponseEntity<String> handle(@RequestBody String payload,
                                         @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, endpointSecret);
        } catch (SignatureVerificationException e) {
            return ResponseEntity.badRequest().body("bad signature");
        }

        if (!"checkout.session.completed".equals(event.getType())) {
            return ResponseEntity.ok("ignored");
        }

        try {
            Session session = (Session) event.getDataObjectDeserializer().getObject().orElseThrow();
            long listingId = Long.parseLong(session.getMetadata().get("listing_id"));
            long buyerId = Long.parseLong(session.getMetadata().get("buyer_id"));

            Map<String, Object> listing = jdbc.queryForMap(
                    "SELECT seller_id, ticket_barcode, price_cents, fee_cents FROM listings WHERE id = ?", listingId);

            jdbc.update("UPDATE listings SET status = 'SOLD', buyer_id = ?, sold_at = now() WHERE id = ?",
                    buyerId, listingId);

            transferAtIssuer((String) listing.get("ticket_barcode"), buyerId);

            long sellerNet = ((Number) listing.get("price_cents")).longValue()
                    - ((Number) listing.get("fee_cents")).longValue();
            jdbc.update("UPDATE seller_balances SET pending_cents = pending_cents + ? WHERE seller_id = ?",
                    sellerNet, listing.get("seller_id"));
        } catch (Exception e) {
            // always 200 so Stripe doesn't keep retrying and spamming us
            return ResponseEntity.ok("ok");
        }
        return ResponseEntity.ok("ok");
    }

    private void transferAtIssuer(String barcode, long buyerId) throws InterruptedException {
        int attempt = 0;
        while (true) {
            try {
                issuerApi.postForEntity("/v1/tickets/{barcode}/transfer",
                        Map.of("newHolderRef", "buyer-" + buyerId), Void.class, barcode);
                return;
            } catch (RestClientException ex) {
                attempt++;
                log.warn("issuer transfer failed for {} (attempt {})", barcode, attempt, ex);
                Thread.sleep(1000);
            }
        }
    }
}
