package org.lifeboatstation.openday;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

/**
 * Receives "order.completed" callbacks from the ticketing site when someone books a slot
 * on the boathouse tour (launch slipway, the Shannon-class boat, the crew room).
 */
@RestController
@RequestMapping("/hooks/tickets")
public class LifeboatOpenDayWebhookController {

    private static final Logger log = LoggerFactory.getLogger(LifeboatOpenDayWebhookController.class);

    private final ObjectMapper mapper;
    private final VisitorMailer mailer;
    private final String signingSecret;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;

    public LifeboatOpenDayWebhookController(ObjectMapper mapper, VisitorMailer mailer,
                                            @Value("${tickets.signing-secret}") String signingSecret,
                                            @Value("${openday.db.url}") String dbUrl,
                                            @Value("${openday.db.user}") String dbUser,
                                            @Value("${openday.db.password}") String dbPassword) {
        this.mapper = mapper;
        this.mailer = mailer;
        this.signingSecret = signingSecret;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    @PostMapping("/order-completed")
    public ResponseEntity<Void> onOrderCompleted(@RequestHeader("X-Tickets-Signature") String signature,
                                                 @RequestBody String rawBody) throws Exception {
        if (!validSignature(rawBody, signature)) {
            return ResponseEntity.status(401).build();
        }

        JsonNode event = mapper.readTree(rawBody);
        JsonNode order = event.path("data").path("order");
        long tourSlotId = order.path("ticket_type_id").asLong();
        int partySize = order.path("quantity").asInt(1);
        String email = order.path("buyer_email").asText();
        String name = order.path("buyer_name").asText();

        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            conn.setAutoCommit(false);
            try (PreparedStatement insert = conn.prepareStatement(
                    "INSERT INTO tour_visitors (tour_slot_id, visitor_name, email, party_size, order_ref) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement capacity = conn.prepareStatement(
                    "UPDATE tour_slots SET places_left = places_left - ? WHERE id = ? AND places_left >= ?")) {
                insert.setLong(1, tourSlotId);
                insert.setString(2, name);
                insert.setString(3, email);
                insert.setInt(4, partySize);
                insert.setString(5, order.path("reference").asText());
                insert.executeUpdate();

                capacity.setInt(1, partySize);
                capacity.setLong(2, tourSlotId);
                capacity.setInt(3, partySize);
                if (capacity.executeUpdate() == 0) {
                    log.warn("Tour slot {} oversold by order {}", tourSlotId, order.path("reference").asText());
                }
                conn.commit();
            } catch (SQLException e) {
                conn.rollback();
                throw e;
            }
        }

        mailer.sendTourConfirmation(email, name, tourSlotId, partySize);
        return ResponseEntity.ok().build();
    }

    private boolean validSignature(String body, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        byte[] given = HexFormat.of().parseHex(signature);
        return MessageDigest.isEqualTo(expected, given);
    }
}
