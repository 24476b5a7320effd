package org.dalescommunitytransport.rota;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

/**
 * Receives "shift completed" callbacks from the rota app the volunteer drivers use
 * on their phones. Each completed shift is logged and added to the driver's
 * monthly hours, which the coordinator checks against the 40 h volunteer cap.
 */
@RestController
@RequestMapping("/hooks/rota")
public class MinibusRosterWebhookController {

    private static final Logger log = LoggerFactory.getLogger(MinibusRosterWebhookController.class);

    @Value("${rota.db.url}") private String dbUrl;
    @Value("${rota.db.user}") private String dbUser;
    @Value("${rota.db.password}") private String dbPassword;
    @Value("${rota.webhook.secret}") private String webhookSecret;

    public record ShiftCompleted(String eventId, long driverId, long vehicleId, String route,
                                 OffsetDateTime startedAt, OffsetDateTime finishedAt, int passengers) {}

    @PostMapping("/shift-completed")
    public ResponseEntity<Void> shiftCompleted(@RequestBody ShiftCompleted event,
                                               @RequestHeader("X-Rota-Signature") String signature,
                                               @RequestHeader("X-Rota-Body-Hash") String bodyHash) throws SQLException {
        if (!MessageDigest.isEqual(signature.getBytes(StandardCharsets.UTF_8),
                                   HmacSigner.sign(webhookSecret, bodyHash).getBytes(StandardCharsets.UTF_8))) {
            return ResponseEntity.status(401).build();
        }

        BigDecimal hours = BigDecimal.valueOf(Duration.between(event.startedAt(), event.finishedAt()).toMinutes())
                .divide(BigDecimal.valueOf(60), 2, java.math.RoundingMode.HALF_UP);

        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            conn.setAutoCommit(false);

            try (PreparedStatement ins = conn.prepareStatement(
                    "INSERT INTO shift_log (driver_id, vehicle_id, route, started_at, finished_at, passengers, hours) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ins.setLong(1, event.driverId());
                ins.setLong(2, event.vehicleId());
                ins.setString(3, event.route());
                ins.setObject(4, event.startedAt());
                ins.setObject(5, event.finishedAt());
                ins.setInt(6, event.passengers());
                ins.setBigDecimal(7, hours);
                ins.executeUpdate();
            }

            BigDecimal monthHours;
            try (PreparedStatement sel = conn.prepareStatement("SELECT hours_this_month FROM drivers WHERE id = ?")) {
                sel.setLong(1, event.driverId());
                try (ResultSet rs = sel.executeQuery()) {
                    rs.next();
                    monthHours = rs.getBigDecimal(1);
                }
            }

            BigDecimal updated = monthHours.add(hours);
            try (PreparedStatement upd = conn.prepareStatement(
                    "UPDATE drivers SET hours_this_month = ?, last_shift_at = ? WHERE id = ?")) {
                upd.setBigDecimal(1, updated);
                upd.setObject(2, event.finishedAt());
                upd.setLong(3, event.driverId());
                upd.executeUpdate();
            }

            conn.commit();
            if (updated.compareTo(BigDecimal.valueOf(40)) > 0) {
                log.info("Driver {} is over the monthly volunteer cap ({} h)", event.driverId(), updated);
            }
        }
        return ResponseEntity.ok().build();
    }
}
