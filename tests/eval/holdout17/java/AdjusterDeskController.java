package com.acmeins.claims.api;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

// Adjuster desk API. Shared by all carriers on the platform (claims.carrier_id, adjusters.carrier_id).
// carrierId request attribute is set by CarrierAuthFilter from the JWT.
@RestController
@RequestMapping("/api/v1")
public class AdjusterDeskController {

    @Autowired
    JdbcTemplate jdbc;

    @GetMapping("/claims")
    public List<Map<String, Object>> claims(@RequestAttribute long carrierId,
                                            @RequestParam(defaultValue = "OPEN") String status,
                                            @RequestParam(defaultValue = "0") int page) {
        return jdbc.queryForList(
            "SELECT id, claim_no, policy_no, status, loss_date, reserve_amount, adjuster_id FROM claims " +
            "WHERE carrier_id = ? AND status = ? ORDER BY loss_date DESC LIMIT 50 OFFSET ?",
            carrierId, status, page * 50);
    }

    @GetMapping("/claims/{id}")
    public Map<String, Object> claim(@RequestAttribute long carrierId, @PathVariable long id) {
        return jdbc.queryForMap("SELECT * FROM claims WHERE id = ? AND carrier_id = ?", id, carrierId);
    }

    @PutMapping("/claims/{id}/reserve")
    public Map<String, Object> setReserve(@RequestAttribute long carrierId, @PathVariable long id,
                                          @RequestBody Map<String, BigDecimal> body) {
        BigDecimal amt = body.get("reserve");
        if (amt == null || amt.signum() < 0) throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
        jdbc.update("UPDATE claims SET reserve_amount = ?, reserve_updated_at = now() WHERE id = ?", amt, id);
        jdbc.update("INSERT INTO claim_audit (carrier_id, claim_id, action, detail) VALUES (?, ?, 'RESERVE', ?)",
            carrierId, id, amt.toPlainString());
        return Map.of("id", id, "reserve", amt);
    }

    @PostMapping("/claims/{id}/assign/{adjusterId}")
    public void assign(@RequestAttribute long carrierId, @PathVariable long id, @PathVariable long adjusterId) {
        int n = jdbc.update(
            "UPDATE claims SET adjuster_id = ? WHERE id = ? AND carrier_id = ? " +
            "AND EXISTS (SELECT 1 FROM adjusters a WHERE a.id = ? AND a.carrier_id = ?)",
            adjusterId, id, carrierId, adjusterId, carrierId);
        if (n == 0) throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }

    // team lead screen
    @GetMapping("/adjusters/workload")
    public List<Map<String, Object>> workload(@RequestAttribute long carrierId) {
        List<Map<String, Object>> adjusters = jdbc.queryForList(
            "SELECT id, name, region FROM adjusters WHERE carrier_id = ? AND active ORDER BY name", carrierId);
        for (Map<String, Object> a : adjusters) {
            Integer open = jdbc.queryForObject("SELECT count(*) FROM claims WHERE carrier_id = ? AND adjuster_id = ? AND status = 'OPEN'", Integer.class, carrierId, a.get("id"));
            a.put("openClaims", open);
        }
        return adjusters;
    }

    // dashboard tiles - the SPA polls this every 30s for every logged-in adjuster
    @GetMapping("/dashboard")
    public Map<String, Object> dashboard(@RequestAttribute long carrierId) {
        Map<String, Object> out = new HashMap<>();
        out.put("byStatus", jdbc.queryForList(
            "SELECT c.status, count(*) AS n, sum(c.reserve_amount) AS reserved, sum(p.paid) AS paid, " +
            "avg(extract(epoch FROM coalesce(c.closed_at, now()) - c.reported_at) / 86400) AS avg_days_open " +
            "FROM claims c " +
            "LEFT JOIN (SELECT claim_id, sum(amount) AS paid FROM claim_payments GROUP BY claim_id) p ON p.claim_id = c.id " +
            "WHERE c.carrier_id = ? GROUP BY c.status", carrierId));
        out.put("asOf", java.time.Instant.now());
        return out;
    }

    @GetMapping("/claims/{id}/notes")
    public List<Map<String, Object>> notes(@RequestAttribute long carrierId, @PathVariable long id) {
        return jdbc.queryForList(
            "SELECT n.id, n.author, n.body, n.created_at FROM claim_notes n JOIN claims c ON c.id = n.claim_id " +
            "WHERE n.claim_id = ? AND c.carrier_id = ? ORDER BY n.created_at DESC LIMIT 100", id, carrierId);
    }

    // TODO(mk): move to ClaimNotesService once
