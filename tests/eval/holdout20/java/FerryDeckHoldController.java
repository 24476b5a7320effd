package com.tidewater.ferry.booking;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * Vehicle deck holds for the Tidewater crossings.
 *
 * When a driver picks a sailing in the checkout flow we reserve lane metres on the
 * car deck for 15 minutes so the space does not vanish while they enter payment details.
 * Holds that pass their expiry are simply ignored when computing free space.
 */
@RestController
@RequestMapping("/api/sailings")
public class FerryDeckHoldController {

    private static final int HOLD_MINUTES = 15;
    // Safety gap the deck crew leaves between vehicles in a lane
    private static final double GAP_METRES = 0.5;

    @Value("${ferry.db.url}")
    private String dbUrl;
    @Value("${ferry.db.user}")
    private String dbUser;
    @Value("${ferry.db.password}")
    private String dbPassword;

    public record HoldRequest(String vehicleClass, double lengthMetres, String customerRef) {}

    @PostMapping("/{sailingId}/deck-holds")
    public ResponseEntity<?> holdDeckSpace(@PathVariable long sailingId,
                                           @RequestBody HoldRequest req) throws SQLException {
        if (req.lengthMetres() <= 0 || req.lengthMetres() > 18.75) {
            return ResponseEntity.badRequest().body(Map.of("error", "unsupported vehicle length"));
        }

        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            double capacity;
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT car_deck_lane_metres FROM sailings WHERE id = ? AND status = 'OPEN'")) {
                ps.setLong(1, sailingId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return ResponseEntity.notFound().build();
                    }
                    capacity = rs.getDouble(1);
                }
            }

            double taken;
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT COALESCE(SUM(length_metres + gap_metres), 0) FROM deck_holds WHERE sailing_id = ? AND expires_at > now()")) {
                ps.setLong(1, sailingId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    taken = rs.getDouble(1);
                }
            }

            double needed = req.lengthMetres() + GAP_METRES;
            if (taken + needed > capacity) {
                return ResponseEntity.status(409)
                        .body(Map.of("error", "no deck space left on this sailing"));
            }

            UUID holdId = UUID.randomUUID();
            Instant expiresAt = Instant.now().plus(HOLD_MINUTES, ChronoUnit.MINUTES);
            try (PreparedStatement ins = conn.prepareStatement(
                    "INSERT INTO deck_holds (id, sailing_id, vehicle_class, length_metres, gap_metres, customer_ref, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ins.setObject(1, holdId);
                ins.setLong(2, sailingId);
                ins.setString(3, req.vehicleClass());
                ins.setDouble(4, req.lengthMetres());
                ins.setDouble(5, GAP_METRES);
                ins.setString(6, req.customerRef());
                ins.setTimestamp(7, Timestamp.from(expiresAt));
                ins.executeUpdate();
            }

            return ResponseEntity.status(201).body(Map.of(
                    "holdId", holdId,
                    "expiresAt", expiresAt.toString(),
                    "remainingMetres", capacity - taken - needed));
        }
    }
}
