package com.paylite.wallet.web;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

// old wallet endpoints, still used by android app 3.x
// TODO move to WalletService + JdbcTemplate (PAY-412)
@RestController
@RequestMapping("/api/v1/wallet")
public class WalletController {

    @Value("${wallet.db.url}")
    private String dbUrl;
    @Value("${wallet.db.user}")
    private String dbUser;
    @Value("${wallet.db.password}")
    private String dbPassword;

    private Connection conn() throws SQLException {
        return DriverManager.getConnection(dbUrl, dbUser, dbPassword);
    }

    @GetMapping("/{userId}/balance")
    public ResponseEntity<Map<String, Object>> balance(@PathVariable long userId) throws SQLException {
        try (Connection c = conn();
             PreparedStatement ps = c.prepareStatement("SELECT balance, currency FROM wallets WHERE user_id = ?")) {
            ps.setLong(1, userId);
            ResultSet rs = ps.executeQuery();
            if (!rs.next()) return ResponseEntity.notFound().build();
            Map<String, Object> body = new HashMap<>();
            body.put("balance", rs.getBigDecimal("balance"));
            body.put("currency", rs.getString("currency"));
            return ResponseEntity.ok(body);
        }
    }

    @PostMapping("/{userId}/topup")
    public ResponseEntity<?> topup(@PathVariable long userId, @RequestParam BigDecimal amount) throws SQLException {
        if (amount.signum() <= 0) return ResponseEntity.badRequest().body("amount must be positive");
        try (Connection c = conn()) {
            PreparedStatement sel = c.prepareStatement("SELECT balance FROM wallets WHERE user_id = ?");
            sel.setLong(1, userId);
            ResultSet rs = sel.executeQuery();
            if (!rs.next()) return ResponseEntity.notFound().build();
            BigDecimal current = rs.getBigDecimal("balance");
            BigDecimal updated = current.add(amount);

            PreparedStatement upd = c.prepareStatement("UPDATE wallets SET balance = ?, updated_at = now() WHERE user_id = ?");
            upd.setBigDecimal(1, updated);
            upd.setLong(2, userId);
            upd.executeUpdate();

            audit(c, userId, "TOPUP", amount);
            return ResponseEntity.ok(Map.of("balance", updated));
        }
    }

    @GetMapping("/{userId}/limits")
    public ResponseEntity<?> limits(@PathVariable long userId) throws SQLException {
        try (Connection c = conn();
             PreparedStatement ps = c.prepareStatement(
                 "SELECT daily_limit, monthly_limit, kyc_level FROM wallet_limits WHERE user_id = ?")) {
            ps.setLong(1, userId);
            ResultSet rs = ps.executeQuery();
            if (!rs.next()) return ResponseEntity.ok(Map.of("kyc_level", 0));
            return ResponseEntity.ok(Map.of(
                "daily_limit", rs.getBigDecimal(1),
                "monthly_limit", rs.getBigDecimal(2),
                "kyc_level", rs.getInt(3)));
        }
    }

    private void audit(Connection c, long userId, String type, BigDecimal amount) {
        try {
            PreparedStatement ps = c.prepareStatement(
                "INSERT INTO wallet_audit (user_id, type, amount, created_at) VALUES (?, ?, ?, now())");
            ps.setLong(1, userId);
            ps.setString(2, type);
            ps.setBigDecimal(3, amount);
            ps.executeUpdate();
        } catch (SQLException e) {
            // audit is best effort
        }
    }
}
