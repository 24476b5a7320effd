package com.riversidevets.clinic.web;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

// ported from the old servlet app (2019). TODO move to JdbcTemplate / HikariCP at some point
@RestController
@RequestMapping("/api")
public class VetClinicController {

    @Value("${clinic.db.url}")      private String dbUrl;
    @Value("${clinic.db.user}")     private String dbUser;
    @Value("${clinic.db.password}") private String dbPass;
    @Value("${square.webhook.key}") private String webhookKey;

    private final ObjectMapper om = new ObjectMapper();

    private Connection conn() throws SQLException {
        return DriverManager.getConnection(dbUrl, dbUser, dbPass);
    }

    @GetMapping("/vets/{vetId}/schedule")
    public List<Map<String, Object>> schedule(@PathVariable long vetId, @RequestParam String date) throws SQLException {
        LocalDate d = LocalDate.parse(date);
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = conn();
             PreparedStatement ps = c.prepareStatement(
                 "SELECT id, pet_id, starts_at, reason FROM appointments WHERE vet_id = ? AND starts_at >= ? AND starts_at < ? AND status <> 'CANCELLED' ORDER BY starts_at")) {
            ps.setLong(1, vetId);
            ps.setTimestamp(2, Timestamp.valueOf(d.atStartOfDay()));
            ps.setTimestamp(3, Timestamp.valueOf(d.plusDays(1).atStartOfDay()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Map.of("id", rs.getLong("id"), "petId", rs.getLong("pet_id"),
                            "startsAt", rs.getTimestamp("starts_at").toLocalDateTime(), "reason", rs.getString("reason")));
                }
            }
        }
        return out;
    }

    @PostMapping("/appointments")
    public ResponseEntity<?> book(@RequestBody Map<String, String> body) throws SQLException {
        long vetId = Long.parseLong(body.get("vetId"));
        long petId = Long.parseLong(body.get("petId"));
        LocalDateTime start = LocalDateTime.parse(body.get("startsAt"));
        try (Connection c = conn()) {
            PreparedStatement chk = c.prepareStatement(
                "SELECT COUNT(*) FROM appointments WHERE vet_id = ? AND starts_at = ? AND status <> 'CANCELLED'");
            chk.setLong(1, vetId);
            chk.setTimestamp(2, Timestamp.valueOf(start));
            ResultSet rs = chk.executeQuery();
            rs.next();
            if (rs.getInt(1) > 0) {
                return ResponseEntity.status(409).body("slot already booked");
            }
            PreparedStatement ins = c.prepareStatement(
                "INSERT INTO appointments (vet_id, pet_id, starts_at, reason, status) VALUES (?, ?, ?, ?, 'BOOKED')");
            ins.setLong(1, vetId);
            ins.setLong(2, petId);
            ins.setTimestamp(3, Timestamp.valueOf(start));
            ins.setString(4, body.getOrDefault("reason", "checkup"));
            ins.executeUpdate();
        }
        return ResponseEntity.status(201).build();
    }

    @PostMapping("/appointments/{id}/cancel")
    public ResponseEntity<?> cancel(@PathVariable long id) throws SQLException {
        try (Connection c = conn();
             PreparedStatement ps = c.prepareStatement("UPDATE appointments SET status = 'CANCELLED' WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1 ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
        }
    }

    // Square calls this when a client pays an invoice at the front desk terminal
    @PostMapping("/webhooks/square")
    public ResponseEntity<?> squarePayment(@RequestHeader("x-square-hmacsha256-signature") String sig,
                                           @RequestBody String payload) throws Exception {
        if (!SquareSignature.isValid(payload, sig, webhookKey)) {
            return ResponseEntity.status(401).build();
        }
        JsonNode evt = om.readTree(payload);
        if (!"payment.updated".equals(evt.path("type").asText())) return ResponseEntity.ok().build();
        JsonNode payment = evt.path("data").path("object").path("payment");
        if (!"COMPLETED".equals(payment.path("status").asText())) return ResponseEntity.ok().build();

        long invoiceId = Long.parseLong(payment.path("reference_id").asText());
        long cents = payment.path("amount_money").path("amount").asLong();
        try (Connection c = conn()) {
            c.setAutoCommit(false);
            PreparedStatement pay = c.prepareStatement("INSERT INTO invoice_payments (invoice_id, amount_cents, provider) VALUES (?, ?, 'square')");
            pay.setLong(1, invoiceId); pay.setLong(2, cents); pay.executeUpdate();
            PreparedStatement bal = c.prepareStatement("UPDATE invoices SET paid_cents = paid_cents + ? WHERE id = ?");
            bal.setLong(1, cents); bal.setLong(2, invoiceId); bal.executeUpdate();
            PreparedStatement pts = c.prepareStatement("UPDATE clients SET loyalty_points = loyalty_points + ? WHERE id = (SELECT client_id FROM invoices WHERE id = ?)");
            pts.setLong(1, cents / 1000); pts.setLong(2, invoiceId); pts.executeUpdate();
            c.commit();
        }
        return ResponseEntity.ok().build();
    }
}
