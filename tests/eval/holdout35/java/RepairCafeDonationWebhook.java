package org.repaircafe.fund.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

import org.repaircafe.fund.Donation;
import org.repaircafe.fund.DonationRepository;
import org.repaircafe.fund.PartsFund;
import org.repaircafe.fund.PartsFundRepository;
import org.repaircafe.tickets.RepairTicketRepository;

/**
 * Card-reader payments from the donation jar at each repair cafe session.
 * The provider posts "payment.succeeded" for every tap; donations tagged with a
 * ticket number pay for spare parts on that appliance ticket.
 */
@RestController
@RequestMapping("/webhooks/cardreader")
public class RepairCafeDonationWebhook {

    private static final Logger log = LoggerFactory.getLogger(RepairCafeDonationWebhook.class);

    private final PartsFundRepository funds;
    private final DonationRepository donations;
    private final RepairTicketRepository tickets;
    private final ObjectMapper mapper;
    private final byte[] signingSecret;

    public RepairCafeDonationWebhook(PartsFundRepository funds, DonationRepository donations,
                                     RepairTicketRepository tickets, ObjectMapper mapper,
                                     @Value("${cardreader.webhook-secret}") String secret) {
        this.funds = funds;
        this.donations = donations;
        this.tickets = tickets;
        this.mapper = mapper;
        this.signingSecret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Void> handleDonationEvent(@RequestHeader("X-Signature") String signature,
                                                    @RequestBody String body) throws Exception {
        if (!validSignature(body, signature)) {
            log.warn("Rejected card-reader webhook with bad signature");
            return ResponseEntity.status(401).build();
        }

        JsonNode event = mapper.readTree(body);
        if (!"payment.succeeded".equals(event.path("type").asText())) {
            return ResponseEntity.ok().build();
        }

        JsonNode payment = event.path("data");
        long cafeId = payment.path("metadata").path("cafe_id").asLong();
        long amountPence = payment.path("amount").asLong();
        String ticketNo = payment.path("metadata").path("ticket_no").asText(null);

        donations.save(new Donation(cafeId, amountPence, payment.path("id").asText(), ticketNo));

        PartsFund fund = funds.findById(cafeId).orElseThrow();
        fund.setBalancePence(fund.getBalancePence() + amountPence);
        funds.save(fund);

        if (ticketNo != null) {
            // @Modifying: UPDATE repair_tickets SET parts_paid_pence = parts_paid_pence + :amount ...
            tickets.addPartsContribution(cafeId, ticketNo, amountPence);
        }

        log.info("Donation of {}p recorded for cafe {}", amountPence, cafeId);
        return ResponseEntity.ok().build();
    }

    private boolean validSignature(String body, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
        byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            log.warn("Malformed signature header: {}", e.getMessage());
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }
}
