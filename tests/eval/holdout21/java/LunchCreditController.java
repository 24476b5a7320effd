package uk.gov.eastdale.lunch.web;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import uk.gov.eastdale.lunch.domain.CreditTransaction;
import uk.gov.eastdale.lunch.domain.CreditTransactionRepository;
import uk.gov.eastdale.lunch.domain.PupilAccount;
import uk.gov.eastdale.lunch.domain.PupilAccountRepository;
import uk.gov.eastdale.lunch.payments.TopUpEvent;
import uk.gov.eastdale.lunch.payments.WebhookVerifier;

/**
 * School lunch credits for the Eastdale district.
 * Canteen tills debit a pupil's account; parents top up through the payment provider.
 */
@RestController
@RequestMapping("/api/lunch")
public class LunchCreditController {

    private final PupilAccountRepository accounts;
    private final CreditTransactionRepository transactions;
    private final JdbcTemplate jdbc;
    private final WebhookVerifier verifier;

    public LunchCreditController(PupilAccountRepository accounts, CreditTransactionRepository transactions,
                                 JdbcTemplate jdbc, WebhookVerifier verifier) {
        this.accounts = accounts;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.verifier = verifier;
    }

    public record MealCharge(int pricePence, String tillId) {}
    public record BalanceDto(long pupilId, long balancePence) {}

    /** Called by the till when a pupil taps their lunch card. */
    @PostMapping("/accounts/{pupilId}/meals")
    @Transactional
    public BalanceDto chargeMeal(@PathVariable long pupilId, @RequestBody MealCharge charge) {
        PupilAccount account = accounts.findById(pupilId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown pupil"));

        long newBalance = account.getBalancePence() - charge.pricePence();
        // pupils may go a little overdrawn so nobody is turned away from lunch
        if (newBalance < -account.getOverdraftLimitPence()) {
            throw new ResponseStatusException(HttpStatus.PAYMENT_REQUIRED, "overdraft limit reached");
        }
        account.setBalancePence(newBalance);
        accounts.save(account);
        transactions.save(CreditTransaction.meal(pupilId, charge.pricePence(), charge.tillId()));
        return new BalanceDto(pupilId, newBalance);
    }

    /** Payment provider notifies us when a parent's top-up has cleared. */
    @PostMapping("/webhooks/parentpay")
    @Transactional
    public ResponseEntity<Void> parentPayWebhook(@RequestHeader("X-ParentPay-Signature") String signature,
                                                 @RequestBody String body) {
        TopUpEvent event = verifier.verifyAndParse(signature, body);
        if (!"payment.succeeded".equals(event.type())) {
            return ResponseEntity.ok().build();
        }
        jdbc.update("UPDATE pupil_accounts SET balance_pence = balance_pence + ? WHERE id = ?",
                event.amountPence(), event.pupilId());
        jdbc.update("INSERT INTO credit_transactions (pupil_id, kind, amount_pence, reference) VALUES (?, 'TOPUP', ?, ?)",
                event.pupilId(), event.amountPence(), event.id());
        return ResponseEntity.ok().build();
    }

    /** Numbers for the district admin home page (the page refreshes every 30 seconds). */
    @GetMapping("/admin/summary")
    public Map<String, Object> adminSummary() {
        return jdbc.queryForMap("SELECT COUNT(DISTINCT t.pupil_id) AS active_pupils, "
                        + "SUM(t.amount_pence) FILTER (WHERE t.kind = 'MEAL') AS meals_pence, "
                        + "SUM(t.amount_pence) FILTER (WHERE t.kind = 'TOPUP') AS topups_pence, "
                        + "percentile_cont(0.5) WITHIN GROUP (ORDER BY a.balance_pence) AS median_balance, "
                        + "COUNT(*) FILTER (WHERE a.balance_pence < 0) AS overdrawn_rows "
                        + "FROM credit_transactions t JOIN pupil_accounts a ON a.id = t.pupil_id");
    }

    @GetMapping("/accounts/{pupilId}")
    public BalanceDto balance(@PathVariable long pupilId) {
        return accounts.findById(pupilId)
                .map(a -> new BalanceDto(pupilId, a.getBalancePence()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown pupil"));
    }
}
