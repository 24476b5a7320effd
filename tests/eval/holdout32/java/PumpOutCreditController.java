package net.canalwatch.pumpout.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import net.canalwatch.pumpout.domain.BoaterAccount;
import net.canalwatch.pumpout.domain.BoaterAccountRepository;
import net.canalwatch.pumpout.domain.PumpOutVisit;
import net.canalwatch.pumpout.domain.PumpOutVisitRepository;

/**
 * Pump-out credits for boaters on the canal trust network.
 *
 * Boaters buy bundles of pump-out credits through PayBridge checkout; the
 * self-service pump-out stations at each marina call /redeem when a boater
 * taps their card, which uses one credit.
 */
@RestController
public class PumpOutCreditController {

    private final JdbcTemplate jdbc;
    private final ObjectMapper objectMapper;
    private final BoaterAccountRepository accounts;
    private final PumpOutVisitRepository visits;
    private final byte[] webhookSecret;

    public PumpOutCreditController(JdbcTemplate jdbc, ObjectMapper objectMapper,
                                   BoaterAccountRepository accounts, PumpOutVisitRepository visits,
                                   @Value("${paybridge.webhook-secret}") String webhookSecret) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.accounts = accounts;
        this.visits = visits;
        this.webhookSecret = webhookSecret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping("/webhooks/paybridge")
    @Transactional
    public ResponseEntity<Void> onPayBridgeEvent(@RequestHeader("PayBridge-Signature") String signature,
                                                 @RequestBody String payload) throws Exception {
        if (!validSignature(payload, signature)) {
            return ResponseEntity.status(401).build();
        }
        JsonNode event = objectMapper.readTree(payload);
        if (!"checkout.completed".equals(event.path("type").asText())) {
            return ResponseEntity.ok().build();
        }

        JsonNode checkout = event.path("data");
        long boaterId = checkout.path("metadata").path("boater_id").asLong();
        int credits = checkout.path("metadata").path("credits").asInt();

        jdbc.update("UPDATE boater_accounts SET credits = credits + ? WHERE id = ?", credits, boaterId);
        jdbc.update("INSERT INTO credit_purchases (boater_id, credits, amount_pence, paybridge_checkout_id) "
                        + "VALUES (?, ?, ?, ?)",
                boaterId, credits, checkout.path("amount").asInt(), checkout.path("id").asText());
        return ResponseEntity.ok().build();
    }

    public record RedeemRequest(String stationCode, String cardToken) {}

    @PostMapping("/api/boaters/{boaterId}/redeem")
    @Transactional
    public ResponseEntity<Map<String, Object>> redeem(@PathVariable long boaterId,
                                                      @RequestBody RedeemRequest req) {
        BoaterAccount account = accounts.findById(boaterId).orElse(null);
        if (account == null || !account.getCardToken().equals(req.cardToken())) {
            return ResponseEntity.status(404).body(Map.of("error", "unknown card"));
        }
        if (account.getCredits() < 1) {
            return ResponseEntity.status(402).body(Map.of("error", "no pump-out credits left"));
        }

        account.setCredits(account.getCredits() - 1);
        accounts.save(account);
        visits.save(new PumpOutVisit(boaterId, req.stationCode()));

        return ResponseEntity.ok(Map.of("creditsLeft", account.getCredits()));
    }

    private boolean validSignature(String payload, String header) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(webhookSecret, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                header.getBytes(StandardCharsets.UTF_8));
    }
}
