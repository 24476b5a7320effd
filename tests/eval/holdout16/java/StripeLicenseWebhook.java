@RestController
@RequiredArgsConstructor
@Slf4j
public class StripeLicenseWebhook {

    private final LicenseRepository licenses;
    private final ContributorRepository contributors;
    private final PhotoRepository photos;

    @Value("${stripe.webhook-secret}")
    private String webhookSecret;

    @PostMapping("/webhooks/stripe")
    @Transactional
    public ResponseEntity<String> handle(@RequestBody String payload,
                                         @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, webhookSecret);
        } catch (SignatureVerificationException e) {
            log.warn("bad stripe signature: {}", e.getMessage());
            return ResponseEntity.badRequest().body("invalid signature");
        }

        if (!"checkout.session.completed".equals(event.getType())) {
            return ResponseEntity.ok("ignored");
        }

        Session session = (Session) event.getDataObjectDeserializer().getObject()
                .orElseThrow(() -> new IllegalStateException("cannot deserialize " + event.getId()));
        long photoId = Long.parseLong(session.getMetadata().get("photo_id"));
        LicenseTier tier = LicenseTier.valueOf(session.getMetadata().get("tier"));

        Photo photo = photos.findById(photoId).orElseThrow();
        licenses.save(License.issue(photo, session.getCustomerEmail(), tier, session.getAmountTotal()));

        // contributor gets 40% (standard) or 55% (exclusive) of the sale
        Contributor contributor = contributors.findById(photo.getContributorId()).orElseThrow();
        long royaltyCents = Math.round(session.getAmountTotal() * contributor.royaltyRate());
        contributor.setPendingBalanceCents(contributor.getPendingBalanceCents() + royaltyCents);
        contributors.save(contributor);

        log.info("license issued for photo {} ({}), royalty {}c", photoId, tier, royaltyCents);
        return ResponseEntity.ok("ok");
    }
