// opera season subscriptions - webhook + box office redemption (imports trimmed)
// subscribers pay in 3 instalments; each paid invoice adds 2 seat vouchers.

@RestController
public class SeasonSubscriptionController {

    private static final Logger log = LoggerFactory.getLogger(SeasonSubscriptionController.class);
    private static final int VOUCHERS_PER_INSTALMENT = 2;

    @Autowired private SubscriptionRepository subscriptions;
    @Autowired private BoxOfficeClient boxOffice;
    @Autowired private VoucherMailer mailer;

    @Value("${stripe.webhook-secret}")
    private String webhookSecret;

    @PostMapping("/webhooks/stripe")
    public ResponseEntity<String> stripeWebhook(@RequestBody String payload,
                                                @RequestHeader("Stripe-Signature") String signature) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, webhookSecret);
        } catch (SignatureVerificationException e) {
            log.warn("bad stripe signature");
            return ResponseEntity.badRequest().body("invalid signature");
        }

        try {
            switch (event.getType()) {
                case "invoice.paid" -> {
                    Invoice invoice = (Invoice) event.getDataObjectDeserializer().getObject().orElseThrow();
                    SeasonSubscription sub = subscriptions.findByStripeCustomerId(invoice.getCustomer()).orElseThrow();
                    sub.setVoucherBalance(sub.getVoucherBalance() + VOUCHERS_PER_INSTALMENT);
                    sub.setPaidThrough(LocalDate.ofInstant(Instant.ofEpochSecond(invoice.getPeriodEnd()), ZoneOffset.UTC));
                    subscriptions.save(sub);
                    mailer.sendVouchersAdded(sub, VOUCHERS_PER_INSTALMENT);
                }
                case "customer.subscription.deleted" -> {
                    Subscription s = (Subscription) event.getDataObjectDeserializer().getObject().orElseThrow();
                    subscriptions.findByStripeCustomerId(s.getCustomer()).ifPresent(sub -> {
                        sub.setStatus("CANCELLED");
                        subscriptions.save(sub);
                    });
                }
                default -> { /* not interested */ }
            }
        } catch (Exception e) {
            return ResponseEntity.ok("ignored");
        }
        return ResponseEntity.ok("ok");
    }

    public record RedeemRequest(long performanceId, int seats) {}

    /** Box office / online: subscriber exchanges vouchers for seats at a performance. */
    @PostMapping("/subscriptions/{id}/redeem")
    @Transactional
    public ResponseEntity<?> redeem(@PathVariable long id, @RequestBody RedeemRequest req) {
        SeasonSubscription sub = subscriptions.findById(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (!"ACTIVE".equals(sub.getStatus()) || sub.getVoucherBalance() < req.seats()) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "not enough vouchers", "balance", sub.getVoucherBalance()));
        }
        sub.setVoucherBalance(sub.getVoucherBalance() - req.seats());
        subscriptions.save(sub);
        String confirmation = boxOffice.reserveSeats(sub.getId(), req.performanceId(), req.seats());
        return ResponseEntity.ok(Map.of("confirmation", confirmation, "balance", sub.getVoucherBalance()));
    }
}

interface SubscriptionRepository extends JpaRepository<SeasonSubscription, Long> {
    Optional<SeasonSubscription> findByStripeCustomerId(String stripeCustomerId);
}

@Entity
@Table(name = "season_subscriptions")
class SeasonSubscription {
    @Id @GeneratedValue(strategy = GenerationType.IDENTITY) private Long id;
    private String stripeCustomerId;
    private int voucherBalance;
    private LocalDate paidThrough;
    private String status;
    // getters / setters omitted
}
