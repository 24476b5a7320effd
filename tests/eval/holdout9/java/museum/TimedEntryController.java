package nl.rijksmus.ticketing.web;

// entry-api: helm values replicaCount: 4, nginx ingress proxy-read-timeout 30s

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import nl.rijksmus.ticketing.mail.TicketMailer;
import nl.rijksmus.ticketing.pdf.PdfTicketRenderer;
import nl.rijksmus.ticketing.storage.ExportStore;

@RestController
@RequestMapping("/api/entry")
public class TimedEntryController {

    @Autowired private JdbcTemplate jdbc;
    @Autowired private DataSourceProperties dsProps;
    @Autowired private PdfTicketRenderer pdf;
    @Autowired private TicketMailer mailer;
    @Autowired private ExportStore store;

    // exportId -> status, polled by admin UI
    private static final Map<String, String> EXPORTS = new ConcurrentHashMap<>();

    @GetMapping("/slots")
    public List<Map<String, Object>> slots(@RequestParam String day) throws SQLException {
        // raw JDBC, JdbcTemplate mangled the timestamptz -> TODO switch back
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(dsProps.getUrl(), dsProps.getUsername(), dsProps.getPassword());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, starts_at, remaining FROM entry_slots WHERE day = ?::date ORDER BY starts_at")) {
            ps.setString(1, day);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Map.of("id", rs.getLong(1), "startsAt", rs.getObject(2), "remaining", rs.getInt(3)));
                }
            }
        }
        return out;
    }

    @PostMapping("/holds")
    public Map<String, Object> hold(@RequestParam long slotId, @RequestParam int qty, @RequestParam String sessionId) {
        int updated = jdbc.update(
                "UPDATE entry_slots SET remaining = remaining - ? WHERE id = ? AND remaining >= ?", qty, slotId, qty);
        if (updated == 0) throw new ResponseStatusException(HttpStatus.CONFLICT, "sold out");
        String holdId = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO ticket_holds (id, slot_id, session_id, qty, expires_at) VALUES (?, ?, ?, ?, now() + interval '15 minutes')",
                holdId, slotId, sessionId, qty);
        return Map.of("holdId", holdId, "expiresInSec", 900);
    }

    @PostMapping("/holds/{holdId}/confirm")
    public void confirm(@PathVariable String holdId) {
        int n = jdbc.update(
                "UPDATE ticket_holds SET confirmed = true WHERE id = ? AND confirmed = false AND expires_at > now()", holdId);
        if (n == 0) throw new ResponseStatusException(HttpStatus.GONE, "hold expired");
    }

    // re-send all tickets for a day (after a gallery closure moves time slots)
    @PostMapping("/admin/resend/{day}")
    public String resendDay(@PathVariable String day) {
        List<Map<String, Object>> tickets = jdbc.queryForList(
                "SELECT t.id, t.email FROM tickets t JOIN entry_slots s ON s.id = t.slot_id WHERE s.day = ?::date", day);
        for (Map<String, Object> t : tickets) {
            byte[] file = pdf.render((Long) t.get("id"));
            mailer.send((String) t.get("email"), "Your updated museum ticket", file);
        }
        return "resent " + tickets.size();
    }

    @PostMapping("/admin/exports")
    public Map<String, String> startExport(@RequestParam String month) {
        String id = UUID.randomUUID().toString();
        EXPORTS.put(id, "RUNNING");
        new Thread(() -> runExport(id, month)).start();
        return Map.of("exportId", id);
    }

    @GetMapping("/admin/exports/{id}")
    public Map<String, String> exportStatus(@PathVariable String id) {
        return Map.of("status", EXPORTS.getOrDefault(id, "UNKNOWN"));
    }

    private void runExport(String id, String month) {
        try {
            StringWriter csv = new StringWriter();
            jdbc.query("SELECT id, slot_id, email, price_cents FROM tickets WHERE to_char(created_at, 'YYYY-MM') = ?",
                    rs -> { csv.append(rs.getString(1)).append(',').append(rs.getString(2)).append('\n'); }, month);
            store.put("exports/" + id + ".csv", csv.toString());
            EXPORTS.put(id, "DONE");
        } catch (Exception e) {
            EXPORTS.put(id, "FAILED: " + e.getMessage());
        }
    }
}
