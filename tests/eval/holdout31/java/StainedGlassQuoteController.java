package uk.leadlightworkshop.quotes;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;

/**
 * Repair quotes for stained-glass panels. Pricing a panel means tracing the lead lines
 * from the uploaded photos and pricing glass from the supplier's catalogue, which takes
 * a few minutes, so the request only records a job and the quote worker picks it up.
 *
 * Deployed as 4 pods; request limits live in Redis so they hold across all of them.
 */
@RestController
@RequestMapping("/api/quotes")
public class StainedGlassQuoteController {

    private static final int QUOTES_PER_HOUR = 10;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;

    public StainedGlassQuoteController(JdbcTemplate jdbc, StringRedisTemplate redis) {
        this.jdbc = jdbc;
        this.redis = redis;
    }

    public record QuoteRequest(String panelLocation, int widthMm, int heightMm, List<String> photoKeys, String notes) {}

    @PostMapping
    public ResponseEntity<Map<String, Object>> requestQuote(@AuthenticationPrincipal CustomerPrincipal customer,
                                                            @RequestHeader("Idempotency-Key") String idempotencyKey,
                                                            @RequestBody QuoteRequest req) {
        if (!withinHourlyLimit(customer.id())) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .body(Map.of("error", "Quote limit reached, try again within the hour"));
        }

        // uq_quote_jobs_idem (customer_id, idempotency_key): a double-submit returns the same job.
        Long jobId = jdbc.queryForObject(
                "INSERT INTO quote_jobs (customer_id, idempotency_key, panel_location, width_mm, height_mm, photo_keys, notes, status) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, 'QUEUED') "
                        + "ON CONFLICT (customer_id, idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key "
                        + "RETURNING id",
                Long.class,
                customer.id(), idempotencyKey, req.panelLocation(), req.widthMm(), req.heightMm(),
                String.join(",", req.photoKeys()), req.notes());

        return ResponseEntity.accepted()
                .location(URI.create("/api/quotes/" + jobId))
                .body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/{jobId}")
    public ResponseEntity<Map<String, Object>> quoteStatus(@AuthenticationPrincipal CustomerPrincipal customer,
                                                           @PathVariable long jobId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, status, total_pence, quoted_at, pdf_key FROM quote_jobs WHERE id = ? AND customer_id = ?",
                jobId, customer.id());
        return rows.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(rows.get(0));
    }

    /** Fixed one-hour window per customer, shared by every pod through Redis. */
    private boolean withinHourlyLimit(long customerId) {
        String key = "quote-limit:" + customerId;
        Long count = redis.opsForValue().increment(key);
        if (count != null && count == 1L) {
            redis.expire(key, Duration.ofHours(1));
        }
        return count != null && count <= QUOTES_PER_HOUR;
    }
}
