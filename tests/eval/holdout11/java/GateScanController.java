package io.turnstile.gates.web;

import io.turnstile.gates.dto.ScanRequest;
import io.turnstile.gates.dto.ScanResult;
import io.turnstile.gates.dto.WalletTicket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Gate scanning API hit by the handheld scanners at the venue entrances.
 * Several thousand scans/minute at doors-open, 6 pods.
 *
 * application.yml:
 *   spring.cache.type: caffeine
 *   spring.cache.caffeine.spec: maximumSize=50000,expireAfterWrite=30s
 */
@RestController
@RequestMapping("/v1/gates")
public class GateScanController {

    private static final Logger log = LoggerFactory.getLogger(GateScanController.class);

    private final JdbcTemplate jdbc;
    private final RestTemplate partnerApi;

    public GateScanController(JdbcTemplate jdbc, RestTemplate partnerApi) {
        this.jdbc = jdbc;
        this.partnerApi = partnerApi;
    }

    @PostMapping("/{gateId}/scan")
    public ScanResult scan(@PathVariable String gateId, @RequestBody ScanRequest req) {
        // Admit exactly once: the row only flips if it is still unscanned and valid.
        int admitted = jdbc.update("""
                UPDATE tickets
                   SET scanned_at = now(), scanned_gate = ?
                 WHERE barcode = ? AND event_id = ?
                   AND status = 'VALID' AND scanned_at IS NULL
                """, gateId, req.barcode(), req.eventId());
        if (admitted == 1) {
            return ScanResult.admit(req.barcode());
        }

        // Not admitted: look up why so the steward sees a useful message.
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT status, scanned_at, scanned_gate FROM tickets WHERE barcode = ? AND event_id = ?",
                req.barcode(), req.eventId());
        if (rows.isEmpty()) {
            return ScanResult.reject("UNKNOWN_TICKET");
        }
        Map<String, Object> t = rows.get(0);
        if (t.get("scanned_at") != null) {
            return ScanResult.reject("ALREADY_SCANNED at gate " + t.get("scanned_gate"));
        }
        return ScanResult.reject(String.valueOf(t.get("status")));
    }

    /** Tickets shown in the fan's wallet screen. Only ever this user's own tickets. */
    @GetMapping("/wallet/{userId}")
    @Cacheable(cacheNames = "walletTickets", key = "#userId")
    public List<WalletTicket> wallet(@PathVariable long userId) {
        return jdbc.query("""
                SELECT t.barcode, t.event_id, e.name, e.doors_open, t.section, t.seat
                  FROM tickets t JOIN events e ON e.id = t.event_id
                 WHERE t.owner_user_id = ? AND e.doors_open > now() - interval '1 day'
                 ORDER BY e.doors_open
                 LIMIT 50
                """, (rs, i) -> new WalletTicket(rs.getString("barcode"), rs.getLong("event_id"),
                rs.getString("name"), rs.getTimestamp("doors_open").toInstant(),
                rs.getString("section"), rs.getString("seat")), userId);
    }

    /** Resale partner tells us a ticket was transferred; we re-check with them before voiding. */
    @PostMapping("/revalidate/{barcode}")
    public Map<String, Object> revalidate(@PathVariable String barcode) {
        PartnerStatus st = partnerApi.getForObject("/tickets/{barcode}/status", PartnerStatus.class, barcode);
        if (st != null && st.voided()) {
            jdbc.update("UPDATE tickets SET status = 'VOID' WHERE barcode = ? AND scanned_at IS NULL", barcode);
            log.info("voided {} after partner revalidation", barcode);
        }
        return Map.of("barcode", barcode, "voided", st != null && st.voided());
    }

    record PartnerStatus(String barcode, boolean voided) {}

    @Configuration
    static class PartnerClientConfig {
        @Bean
        RestTemplate partnerApi(RestTemplateBuilder builder) {
            return builder
                    .rootUri("https://api.resale-partner.example.com")
                    .setConnectTimeout(Duration.ofSeconds(2))
                    .setReadTimeout(Duration.ofSeconds(4))
                    .build();
        }
    }
}
