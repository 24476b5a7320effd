package com.peakline.passes.web;

import com.peakline.passes.dto.PassPurchaseRequest;
import com.peakline.passes.dto.PassPurchaseResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Day-pass sales for the online store.
 *
 * Daily capacity comes from mountain ops (lift_capacity table) so we never sell
 * more passes than the lifts can carry. passes-api runs as 3 replicas behind the
 * resort ALB (see deploy/passes-api.yaml).
 */
@RestController
@RequestMapping("/api/passes")
public class LiftPassController {

    private static final int MAX_PURCHASES_PER_MINUTE = 5;

    // ip -> {windowStartEpochSec, count}; keeps the ticket bots from draining powder days
    private final Map<String, long[]> purchaseWindows = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    public LiftPassController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/day/{date}/availability")
    public Map<String, Object> availability(@PathVariable LocalDate date) {
        Integer left = jdbc.queryForObject(
            "SELECT c.max_day_passes - (SELECT COUNT(*) FROM day_passes p WHERE p.ski_date = c.ski_date AND p.status = 'ACTIVE') " +
            "FROM lift_capacity c WHERE c.ski_date = ?", Integer.class, date);
        return Map.of("date", date, "remaining", Math.max(left == null ? 0 : left, 0));
    }

    @PostMapping("/day")
    @Transactional
    public ResponseEntity<?> buyDayPass(@RequestBody PassPurchaseRequest req, HttpServletRequest http) {
        String ip = clientIp(http);
        if (!allowPurchase(ip)) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body(Map.of("error", "too many purchases, try again in a minute"));
        }

        LocalDate day = req.skiDate();
        Integer capacity = jdbc.queryForObject(
            "SELECT max_day_passes FROM lift_capacity WHERE ski_date = ?", Integer.class, day);
        Integer sold = jdbc.queryForObject(
            "SELECT COUNT(*) FROM day_passes WHERE ski_date = ? AND status = 'ACTIVE'", Integer.class, day);

        if (capacity == null || sold >= capacity) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "sold out for " + day));
        }

        String passId = UUID.randomUUID().toString();
        jdbc.update(
            "INSERT INTO day_passes (id, ski_date, guest_name, rfid_card, price_cents, status) VALUES (?, ?, ?, ?, ?, 'ACTIVE')",
            passId, day, req.guestName(), req.rfidCard(), req.priceCents());

        return ResponseEntity.status(HttpStatus.CREATED).body(new PassPurchaseResponse(passId, day));
    }

    @PostMapping("/{passId}/refund")
    public ResponseEntity<?> refund(@PathVariable String passId) {
        // only refund passes that were never scanned at a lift gate
        int rows = jdbc.update(
            "UPDATE day_passes SET status = 'REFUNDED' WHERE id = ? AND status = 'ACTIVE' AND first_scan_at IS NULL", passId);
        if (rows == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "pass already used or refunded"));
        }
        return ResponseEntity.noContent().build();
    }

    private String clientIp(HttpServletRequest http) {
        String forwarded = http.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return http.getRemoteAddr();
    }

    private boolean allowPurchase(String ip) {
        long now = Instant.now().getEpochSecond();
        long[] window = purchaseWindows.computeIfAbsent(ip, k -> new long[]{now, 0});
        synchronized (window) {
            if (now - window[0] >= 60) {
                window[0] = now;
                window[1] = 0;
            }
            return ++window[1] <= MAX_PURCHASES_PER_MINUTE;
        }
    }
}
