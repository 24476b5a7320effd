package io.backit.payments;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.net.Webhook;
import io.backit.campaigns.Campaign;
import io.backit.campaigns.CampaignRepository;
import io.backit.pledges.Pledge;
import io.backit.pledges.PledgeRepository;
import io.backit.pledges.PledgeStatus;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Receives Stripe events for pledges.
 * Stripe dashboard -> Developers -> Webhooks -> https://api.backit.io/webhooks/stripe
 */
@Slf4j
@RestController
@RequestMapping("/webhooks")
@RequiredArgsConstructor
public class StripeWebhookController {

    private final CampaignRepository campaigns;
    private final PledgeRepository pledges;

    @Value("${stripe.webhook-secret}")
    private String endpointSecret;

    @PostMapping("/stripe")
    public ResponseEntity<String> handle(@RequestBody String payload,
                                         @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, endpointSecret);
        } catch (SignatureVerificationException e) {
            log.warn("Invalid Stripe signature");
            return ResponseEntity.badRequest().body("invalid signature");
        }

        try {
            switch (event.getType()) {
                case "payment_intent.succeeded" -> onPaymentSucceeded(event);
                case "charge.refunded" -> onRefunded(event);
                default -> log.debug("Ignoring Stripe event type {}", event.getType());
            }
        } catch (Exception e) {
            return ResponseEntity.ok("received");
        }
        return ResponseEntity.ok("received");
    }

    @Transactional
    void onPaymentSucceeded(Event event) {
        PaymentIntent intent = (PaymentIntent) event.getDataObjectDeserializer().getObject().orElseThrow();
        long campaignId = Long.parseLong(intent.getMetadata().get("campaign_id"));
        long backerId = Long.parseLong(intent.getMetadata().get("backer_id"));

        Pledge pledge = new Pledge();
        pledge.setCampaignId(campaignId);
        pledge.setBackerId(backerId);
        pledge.setAmountCents(intent.getAmountReceived());
        pledge.setPaymentIntentId(intent.getId());
        pledge.setStatus(PledgeStatus.PAID);
        pledges.save(pledge);

        Campaign campaign = campaigns.findById(campaignId).orElseThrow();
        campaign.setRaisedCents(campaign.getRaisedCents() + intent.getAmountReceived());
        campaign.setBackerCount(campaign.getBackerCount() + 1);
        if (campaign.getRaisedCents() >= campaign.getGoalCents()) {
            campaign.setFunded(true);
        }
        campaigns.save(campaign);
    }

    @Transactional
    void onRefunded(Event event) {
        Charge charge = (Charge) event.getDataObjectDeserializer().getObject().orElseThrow();
        pledges.findByPaymentIntentId(charge.getPaymentIntent()).ifPresent(p -> {
            p.setStatus(PledgeStatus.REFUNDED);
            pledges.save(p);
            // @Modifying @Query("update Campaign c set c.raisedCents = c.raisedCents + :delta where c.id = :id")
            campaigns.adjustRaised(p.getCampaignId(), -charge.getAmountRefunded());
        });
    }
}
