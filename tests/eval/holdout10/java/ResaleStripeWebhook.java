package market.seatswap.payments;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import market.seatswap.listings.ListingRepository;
import market.seatswap.listings.Listing;
import market.seatswap.mail.Mailer;
import market.seatswap.payouts.LedgerService;
import market.seatswap.tickets.TicketTransferService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ResaleStripeWebhook {

    private static final Logger log = LoggerFactory.getLogger(ResaleStripeWebhook.class);

    private final ListingRepository listings;
    private final TicketTransferService transfers;
    private final LedgerService ledger;
    private final Mailer mailer;

    @Value("${stripe.webhook-secret}")
    private String endpointSecret;

    public ResaleStripeWebhook(ListingRepository listings, TicketTransferService transfers,
                               LedgerService ledger, Mailer mailer) {
        this.listings = listings;
        this.transfers = transfers;
        this.ledger = ledger;
        this.mailer = mailer;
    }

    @PostMapping("/webhooks/stripe")
    @Transactional
    public ResponseEntity<String> handle(@RequestBody String payload,
                                         @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, endpointSecret);
        } catch (SignatureVerificationException e) {
            log.warn("bad stripe signature: {}", e.getMessage());
            return ResponseEntity.badRequest().body("invalid signature");
        }

        if (!"checkout.session.completed".equals(event.getType())) {
            return ResponseEntity.ok("ignored");
        }

        try {
            Session session = (Session) event.getDataObjectDeserializer().getObject().orElseThrow();
            long listingId = Long.parseLong(session.getMetadata().get("listing_id"));
            long buyerId = Long.parseLong(session.getMetadata().get("buyer_id"));

            Listing listing = listings.findById(listingId).orElseThrow();
            listing.markSold(buyerId);
            listings.save(listing);

            // move the barcode to the buyer and re-issue it
            transfers.transfer(listing.getTicketId(), listing.getSellerId(), buyerId);

            // seller payout = price minus 10% fee, paid out on the weekly payout run
            ledger.creditSeller(listing.getSellerId(), listing.getPriceCents() * 90 / 100,
                    "sale of listing " + listingId);

            mailer.sendSaleConfirmation(buyerId, listing);
            mailer.sendSoldNotice(listing.getSellerId(), listing);
        } catch (Exception ignored) {
            // don't make Stripe retry, we'll see it in the dashboard
        }
        return ResponseEntity.ok("ok");
    }
}
