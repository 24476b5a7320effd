package nz.fleececircuit.rounds.webhooks;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.mail.MailException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import nz.fleececircuit.rounds.accounts.FarmAccount;
import nz.fleececircuit.rounds.accounts.FarmAccountRepository;
import nz.fleececircuit.rounds.payments.PaymentEvent;
import nz.fleececircuit.rounds.payments.SignatureVerifier;
import nz.fleececircuit.rounds.schedule.RoundStatus;
import nz.fleececircuit.rounds.schedule.ShearingRound;
import nz.fleececircuit.rounds.schedule.ShearingRoundRepository;
import nz.fleececircuit.rounds.notify.ShearerMailer;

/**
 * Farms pay a deposit to book a shearing round (the shearing gang visits the farm and
 * shears the alpaca herd in one day). The payment provider calls this endpoint when a
 * deposit charge succeeds; the deposit is credited to the farm's account and the round
 * moves from PENDING_DEPOSIT to CONFIRMED.
 */
@RestController
public class ShearingDepositWebhookController {

    private static final Logger log = LoggerFactory.getLogger(ShearingDepositWebhookController.class);

    private final SignatureVerifier verifier;
    private final ShearingRoundRepository rounds;
    private final FarmAccountRepository accounts;
    private final ShearerMailer mailer;

    public ShearingDepositWebhookController(SignatureVerifier verifier,
                                            ShearingRoundRepository rounds,
                                            FarmAccountRepository accounts,
                                            ShearerMailer mailer) {
        this.verifier = verifier;
        this.rounds = rounds;
        this.accounts = accounts;
        this.mailer = mailer;
    }

    @PostMapping("/webhooks/payments")
    @Transactional
    public ResponseEntity<Void> onPaymentEvent(@RequestHeader("Paydock-Signature") String signature, @RequestBody String payload) {
        PaymentEvent event = verifier.verifyAndParse(payload, signature);
        if (!"charge.succeeded".equals(event.type())) {
            return ResponseEntity.ok().build();
        }

        long roundId = Long.parseLong(event.metadata().get("shearing_round_id"));
        ShearingRound round = rounds.findById(roundId).orElse(null);
        if (round == null) {
            log.warn("deposit {} references unknown shearing round {}", event.chargeId(), roundId);
            return ResponseEntity.ok().build();
        }

        // Credit the deposit; the final invoice after shearing day is netted against this balance.
        FarmAccount account = accounts.findById(round.getFarmId()).orElseThrow();
        account.setDepositBalanceCents(account.getDepositBalanceCents() + event.amountCents());
        account.setLastPaymentAt(Instant.now());
        accounts.save(account);

        round.setStatus(RoundStatus.CONFIRMED);
        round.setDepositChargeId(event.chargeId());
        rounds.save(round);

        try {
            mailer.sendRoundConfirmed(round.getGangLeaderEmail(), round);
        } catch (MailException e) {
            // the gang leader sees confirmed rounds on the rota screen anyway
        }

        log.info("deposit of {} cents recorded for round {} (farm {})",
                event.amountCents(), roundId, round.getFarmId());
        return ResponseEntity.ok().build();
    }
}
