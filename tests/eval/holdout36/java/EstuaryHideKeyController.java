package org.estuarybirds.hides;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

/**
 * Members borrow the key-safe code for one of the estuary bird hides. The app
 * runs on 4 pods, so the loan lock and the per-member request limit live in Redis.
 */
@RestController
@RequestMapping("/api/hides")
public class EstuaryHideKeyController {

    private static final Duration LOAN_LENGTH = Duration.ofHours(4);
    private static final int REQUESTS_PER_MINUTE = 10;

    // Deletes the loan key only if it still belongs to the member returning it.
    private static final DefaultRedisScript<Long> RELEASE_IF_OWNER = new DefaultRedisScript<>(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
            Long.class);

    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;

    public EstuaryHideKeyController(StringRedisTemplate redis, JdbcTemplate jdbc) {
        this.redis = redis;
        this.jdbc = jdbc;
    }

    @PostMapping("/{hideId}/loan")
    public ResponseEntity<Map<String, Object>> borrowKey(@PathVariable long hideId, Principal member) {
        String memberId = member.getName();
        if (!withinLimit(memberId)) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
        }

        String keySafeCode = jdbc.queryForObject(
                "SELECT key_safe_code FROM hides WHERE id = ? AND active = true", String.class, hideId);

        Boolean acquired = redis.opsForValue().setIfAbsent("hide-loan:" + hideId, memberId, LOAN_LENGTH);
        if (!Boolean.TRUE.equals(acquired)) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("message", "Someone else has this hide's key at the moment"));
        }

        jdbc.update("INSERT INTO hide_key_loans (hide_id, member_id, loaned_at) VALUES (?, ?, now())",
                hideId, memberId);
        return ResponseEntity.ok(Map.of("hideId", hideId, "keySafeCode", keySafeCode,
                "returnWithinMinutes", LOAN_LENGTH.toMinutes()));
    }

    @PostMapping("/{hideId}/return")
    public ResponseEntity<Void> returnKey(@PathVariable long hideId, Principal member) {
        Long released = redis.execute(RELEASE_IF_OWNER, List.of("hide-loan:" + hideId), member.getName());
        if (released == null || released == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }
        jdbc.update("UPDATE hide_key_loans SET returned_at = now() "
                        + "WHERE hide_id = ? AND member_id = ? AND returned_at IS NULL",
                hideId, member.getName());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/loans/mine")
    public List<Map<String, Object>> myLoans(Principal member,
                                             @RequestParam(defaultValue = "0") int page) {
        return jdbc.queryForList(
                "SELECT l.hide_id, h.name AS hide_name, l.loaned_at, l.returned_at "
                        + "FROM hide_key_loans l JOIN hides h ON h.id = l.hide_id "
                        + "WHERE l.member_id = ? ORDER BY l.loaned_at DESC LIMIT 25 OFFSET ?",
                member.getName(), Math.max(page, 0) * 25);
    }

    // Fixed one-minute window shared by all pods: INCR, and set the expiry on the first hit.
    private boolean withinLimit(String memberId) {
        String key = "hide-rate:" + memberId + ":" + (System.currentTimeMillis() / 60_000);
        Long count = redis.opsForValue().increment(key);
        if (count != null && count == 1L) {
            redis.expire(key, Duration.ofMinutes(2));
        }
        return count != null && count <= REQUESTS_PER_MINUTE;
    }
}
