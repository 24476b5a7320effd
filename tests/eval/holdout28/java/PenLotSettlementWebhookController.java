package uk.drystone.auction.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import uk.drystone.auction.mail.BuyerMailer;
import uk.drystone.auction.payments.SignatureVerifier;

import java.io.IOException;

/**
 * Settlement callbacks from the card processor for dry-stone sheep pen lots.
 * When a winning bidder pays, the lot is marked paid, the waller's payout is
 * credited (less the 8% commission) and the buyer gets the collection notice.
 */
@RestController
public class PenLotSettlementWebhookController {

    private static final Logger log = LoggerFactory.getLogger(PenLotSettlementWebhookController.class);
    private static final int COMMISSION_BASIS_POINTS = 800;

    private final JdbcTemplate jdbc;
    private final SignatureVerifier verifier;
    private final BuyerMailer mailer;
    private final ObjectMapper mapper;

    public PenLotSettlementWebhookController(JdbcTemplate jdbc, SignatureVerifier verifier,
                                             BuyerMailer mailer, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.verifier = verifier;
        this.mailer = mailer;
        this.mapper = mapper;
    }

    @PostMapping("/webhooks/settlements")
    @Transactional
    public ResponseEntity<Void> onSettlementEvent(@RequestHeader("X-Signature") String signature,
                                                  @RequestBody String payload) throws IOException {
        if (!verifier.isValid(payload, signature)) {
            return ResponseEntity.status(401).build();
        }

        JsonNode event = mapper.readTree(payload);
        if (!"charge.succeeded".equals(event.path("type").asText())) {
            return ResponseEntity.ok().build();
        }

        JsonNode charge = event.path("data").path("object");
        long lotId = charge.path("metadata").path("lot_id").asLong();
        long amountPence = charge.path("amount").asLong();
        long payoutPence = amountPence - (amountPence * COMMISSION_BASIS_POINTS / 10_000);

        jdbc.update("UPDATE pen_lots SET status = 'PAID', paid_at = now() WHERE id = ?", lotId);

        Long wallerId = jdbc.queryForObject(
                "SELECT waller_id FROM pen_lots WHERE id = ?", Long.class, lotId);
        jdbc.update("""
                INSERT INTO waller_ledger (waller_id, lot_id, amount_pence, kind)
                VALUES (?, ?, ?, 'PAYOUT')
                """, wallerId, lotId, payoutPence);
        jdbc.update("UPDATE wallers SET balance_pence = balance_pence + ? WHERE id = ?",
                payoutPence, wallerId);

        log.info("lot {} settled, {}p credited to waller {}", lotId, payoutPence, wallerId);

        try {
            mailer.sendCollectionNotice(lotId, charge.path("receipt_email").asText());
        } catch (MailException ignored) {
        }

        return ResponseEntity.ok().build();
    }
}
