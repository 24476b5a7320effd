@RestController
public class StripeWebhookController {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    @Value("${stripe.webhook-secret}")
    private String endpointSecret;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ReceiptMailer mailer;

    @PostMapping("/webhooks/stripe")
    public ResponseEntity<String> onStripeEvent(@RequestBody String payload,
                                                @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, endpointSecret);
        } catch (SignatureVerificationException e) {
            log.warn("stripe signature check failed: {}", e.getMessage());
            return ResponseEntity.badRequest().body("bad signature");
        }

        try {
            StripeObject obj = event.getDataObjectDeserializer().getObject().orElseThrow();
            switch (event.getType()) {
                case "invoice.paid" -> {
                    Invoice inv = (Invoice) obj;
                    // extend the membership by one billing period
                    jdbc.update("UPDATE memberships SET paid_until = GREATEST(paid_until, now()) + interval '1 month', "
                            + "status = 'ACTIVE' WHERE stripe_customer_id = ?", inv.getCustomer());
                    jdbc.update("INSERT INTO membership_payments (stripe_customer_id, amount_cents, paid_at) "
                            + "VALUES (?, ?, now())", inv.getCustomer(), inv.getAmountPaid());
                    mailer.sendReceipt(inv.getCustomer(), inv.getAmountPaid());
                }
                case "customer.subscription.deleted" -> {
                    Subscription sub = (Subscription) obj;
                    jdbc.update("UPDATE memberships SET status = 'CANCELLED' WHERE stripe_customer_id = ?",
                            sub.getCustomer());
                }
                default -> { /* not interested */ }
            }
        } catch (Exception e) {
            // return 200 anyway so Stripe doesn't keep retrying
            return ResponseEntity.ok("ok");
        }
        return ResponseEntity.ok("ok");
    }
}
