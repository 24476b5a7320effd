package io.tinyrent.billing.web;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import io.tinyrent.billing.SubscriptionService;
import io.tinyrent.billing.CreditLedger;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/webhooks")
public class StripeWebhookController {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final SubscriptionService subscriptions;
    private final CreditLedger credits;
    private final String endpointSecret;
    private final String slackWebhookUrl;

    public StripeWebhookController(SubscriptionService subscriptions,
                                   CreditLedger credits,
                                   @Value("${stripe.webhook-secret}") String endpointSecret,
                                   @Value("${slack.sales-webhook}") String slackWebhookUrl) {
        this.subscriptions = subscriptions;
        this.credits = credits;
        this.endpointSecret = endpointSecret;
        this.slackWebhookUrl = slackWebhookUrl;
    }

    @PostMapping("/stripe")
    public ResponseEntity<String> handleStripeEvent(@RequestBody String payload,
                                                    @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, endpointSecret);
        } catch (SignatureVerificationException e) {
            log.warn("Invalid Stripe signature: {}", e.getMessage());
            return ResponseEntity.badRequest().body("invalid signature");
        }

        StripeObject obj = event.getDataObjectDeserializer().getObject().orElse(null);
        if (obj == null) {
            log.error("Could not deserialize event {} ({})", event.getId(), event.getType());
            return ResponseEntity.internalServerError().build();
        }

        switch (event.getType()) {
            case "checkout.session.completed" -> {
                Session session = (Session) obj;
                // one-off purchase of rental credits
                long creditsBought = Long.parseLong(session.getMetadata().get("credits"));
                credits.addCredits(session.getClientReferenceId(), creditsBought);
                notifySales("New credit purchase: " + creditsBought + " credits (" + session.getCustomerEmail() + ")");
            }
            case "invoice.paid" -> {
                Invoice invoice = (Invoice) obj;
                subscriptions.extendPeriod(invoice.getSubscription(), invoice.getPeriodEnd());
                credits.addCredits(invoice.getCustomer(), 100L); // monthly bonus
            }
            case "customer.subscription.deleted" -> subscriptions.markCancelled(((Subscription) obj).getId());
            default -> log.debug("Ignoring event type {}", event.getType());
        }

        return ResponseEntity.ok("received");
    }

    private void notifySales(String text) {
        OkHttpClient client = new OkHttpClient();
        String json = "{\"text\":\"" + text.replace("\"", "'") + "\"}";
        Request request = new Request.Builder()
                .url(slackWebhookUrl)
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .build();
        try (Response response = client.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                log.warn("Slack notification failed: HTTP {}", response.code());
            }
        } catch (IOException e) {
            log.warn("Slack notification failed", e);
        }
    }
}
