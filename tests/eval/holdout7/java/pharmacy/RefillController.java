package com.medirx.web;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.server.ResponseStatusException;

// refill orders per pharmacy. every row in refill_orders has pharmacy_id.
// TODO move sql to dao
@RestController
@RequestMapping("/api/pharmacies/{pharmacyId}")
public class RefillController {

    private static final Logger log = LoggerFactory.getLogger(RefillController.class);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RestTemplate insuranceRest; // AppConfig: connect 2s / read 5s

    @Value("${insurance.claims.url}")
    String claimsUrl;

    @GetMapping("/orders")
    public List<Map<String, Object>> openOrders(@PathVariable long pharmacyId,
                                                @RequestParam(defaultValue = "0") int page) {
        return jdbc.queryForList(
            "SELECT id, patient_id, rx_id, status, created_at FROM refill_orders " +
            "WHERE pharmacy_id = ? AND status = 'OPEN' ORDER BY created_at DESC LIMIT 50 OFFSET ?",
            pharmacyId, page * 50);
    }

    @GetMapping("/orders/{orderId}")
    public Map<String, Object> order(@PathVariable long pharmacyId, @PathVariable long orderId) {
        return jdbc.queryForMap("SELECT * FROM refill_orders WHERE id = ?", orderId);
    }

    @PostMapping("/orders/{orderId}/fill")
    public Map<String, Object> fill(@PathVariable long pharmacyId, @PathVariable long orderId) {
        Map<String, Object> o = jdbc.queryForMap(
            "SELECT rx_id, status FROM refill_orders WHERE id = ? AND pharmacy_id = ?", orderId, pharmacyId);
        if (!"OPEN".equals(o.get("status"))) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "order not open");
        }
        long rxId = ((Number) o.get("rx_id")).longValue();

        Integer left = jdbc.queryForObject(
            "SELECT refills_remaining FROM prescriptions WHERE id = ?", Integer.class, rxId);
        if (left == null || left <= 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "no refills remaining");
        }
        jdbc.update("UPDATE prescriptions SET refills_remaining = ?, last_filled_at = now() WHERE id = ?",
            left - 1, rxId);
        jdbc.update("UPDATE refill_orders SET status = 'FILLED', filled_at = now() WHERE id = ? AND pharmacy_id = ?",
            orderId, pharmacyId);

        submitClaim(pharmacyId, orderId);
        return Map.of("orderId", orderId, "refillsRemaining", left - 1);
    }

    @PostMapping("/orders/{orderId}/cancel")
    public void cancel(@PathVariable long pharmacyId, @PathVariable long orderId) {
        int n = jdbc.update(
            "UPDATE refill_orders SET status = 'CANCELLED' WHERE id = ? AND pharmacy_id = ? AND status = 'OPEN'",
            orderId, pharmacyId);
        if (n == 0) throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }

    private void submitClaim(long pharmacyId, long orderId) {
        Map<String, Object> claim = jdbc.queryForMap(
            "SELECT o.id AS order_id, p.ndc, p.patient_id, p.insurer_member_id, o.pharmacy_id " +
            "FROM refill_orders o JOIN prescriptions p ON p.id = o.rx_id WHERE o.id = ? AND o.pharmacy_id = ?",
            orderId, pharmacyId);
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                insuranceRest.postForEntity(claimsUrl, claim, Void.class);
                return;
            } catch (RestClientException e) {
                log.warn("claim submit failed order={} attempt={}", orderId, attempt, e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        log.error("claim submit gave up order={}", orderId);
    }
}
