package org.givetogether.donations.web;

import java.util.Map;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

import org.givetogether.donations.domain.CampaignRepository;
import org.givetogether.donations.domain.Donation;
import org.givetogether.donations.domain.DonationRepository;

/**
 * Receives Stripe Checkout events for the parish / charity donation pages,
 * records the donation, bumps the campaign thermometer and asks the
 * receipt-service to email a tax receipt.
 */
@RestController
@RequestMapping("/webhooks")
public class DonationWebhookController {

    private final DonationRepository donations;
    private final CampaignRepository campaigns;
    private final WebClient receipts;
    private final String endpointSecret;

    public DonationWebhookController(DonationRepository donations,
                                     CampaignRepository campaigns,
                                     WebClient.Builder builder,
                                     @Value("${stripe.webhook-secret}") String endpointSecret) {
        this.donations = donations;
        this.campaigns = campaigns;
        this.receipts = builder.baseUrl("http://receipt-service.internal:8080").build();
        this.endpointSecret = endpointSecret;
    }

    @PostMapping("/stripe")
    @Transactional
    public ResponseEntity<String> handleStripe(@RequestBody String payload,
                                               @RequestHeader("Stripe-Signature") String signature) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, endpointSecret);
        } catch (SignatureVerificationException e) {
            return ResponseEntity.badRequest().body("invalid signature");
        }

        if ("checkout.session.completed".equals(event.getType())) {
            Session s = (Session) event.getDataObjectDeserializer().getObject().orElseThrow();
            long campaignId = Long.parseLong(s.getMetadata().get("campaign_id"));

            donations.save(new Donation(campaignId, s.getCustomerDetails().getEmail(),
                    s.getAmountTotal(), s.getCurrency()));
            // @Modifying: update campaigns set raised_cents = raised_cents + :amt where id = :id
            campaigns.incrementRaised(campaignId, s.getAmountTotal());

            receipts.post()
                    .uri("/receipts")
                    .bodyValue(Map.of("email", s.getCustomerDetails().getEmail(),
                                      "amount", s.getAmountTotal(),
                                      "campaignId", campaignId))
                    .retrieve()
                    .toBodilessEntity()
                    .block();
        }
        return ResponseEntity.ok("received");
    }
}
