package coop.ruralfibre.billing;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.net.Webhook;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

// member payments for the fibre co-op. members prepay, invoice.paid tops up their credit,
// monthly line rental is taken from credit by the billing run.
@RestController
public class StripeWebhookController {

    @Autowired MemberAccountRepository accounts;
    @Autowired LinePaymentRepository payments;
    @Autowired ServiceSuspensionService suspensions;

    @Value("${stripe.webhook-secret}")
    String endpointSecret;

    @PostMapping("/hooks/stripe")
    public ResponseEntity<String> stripe(@RequestBody String payload,
                                         @RequestHeader("Stripe-Signature") String sigHeader) {
        Event event;
        try {
            event = Webhook.constructEvent(payload, sigHeader, endpointSecret);
        } catch (SignatureVerificationException e) {
            return ResponseEntity.badRequest().body("bad signature");
        }

        try {
            Invoice inv = (Invoice) event.getDataObjectDeserializer().getObject().orElseThrow();
            String memberNo = inv.getMetadata().get("member_no");

            switch (event.getType()) {
                case "invoice.paid": {
                    MemberAccount acct = accounts.findByMemberNo(memberNo);
                    acct.setCreditPence(acct.getCreditPence() + inv.getAmountPaid());
                    accounts.save(acct);

                    LinePayment p = new LinePayment();
                    p.setMemberNo(memberNo);
                    p.setStripeInvoiceId(inv.getId());
                    p.setAmountPence(inv.getAmountPaid());
                    payments.save(p);

                    if (acct.isSuspended() && acct.getCreditPence() >= 0) {
                        suspensions.restore(memberNo);
                    }
                    break;
                }
                case "invoice.payment_failed": {
                    suspensions.scheduleWarning(memberNo);
                    break;
                }
                default:
                    break;
            }
        } catch (Exception e) {
            return ResponseEntity.ok("ignored");
        }
        return ResponseEntity.ok("ok");
    }
}
