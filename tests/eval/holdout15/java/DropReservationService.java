/*
 * You're right that the old version could oversell: two requests both read
 * remaining = 1, both passed the check and both inserted an order. The fix is to let
 * Postgres do the decrement atomically and check the affected row count, and to
 * move the per-user limiter to Redis since the drop service runs on 6 pods.
 */
package com.kicksvault.drops;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;

@Service
public class DropReservationService {

    private static final int MAX_ATTEMPTS_PER_10S = 3;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;

    public DropReservationService(JdbcTemplate jdbc, StringRedisTemplate redis) {
        this.jdbc = jdbc;
        this.redis = redis;
    }

    public enum Result { RESERVED, SOLD_OUT, ALREADY_ENTERED, RATE_LIMITED }

    @Transactional
    public Result reserve(long dropId, String sizeCode, long userId) {
        // shared across all pods: INCR + EXPIRE on first hit
        String rlKey = "drop:rl:" + dropId + ":" + userId;
        Long attempts = redis.opsForValue().increment(rlKey);
        if (attempts != null && attempts == 1L) {
            redis.expire(rlKey, Duration.ofSeconds(10));
        }
        if (attempts != null && attempts > MAX_ATTEMPTS_PER_10S) {
            return Result.RATE_LIMITED;
        }

        // cheap early exit so we don't hammer the write path once a size is gone;
        // this read is only an optimisation, the UPDATE below is what enforces stock
        Integer remaining = jdbc.queryForObject(
                "SELECT remaining FROM drop_sizes WHERE drop_id = ? AND size_code = ?",
                Integer.class, dropId, sizeCode);
        if (remaining == null || remaining <= 0) {
            return Result.SOLD_OUT;
        }

        // one pair per user per drop: unique (drop_id, user_id) on drop_entries
        try {
            jdbc.update("INSERT INTO drop_entries (drop_id, user_id, size_code, created_at) VALUES (?, ?, ?, now())",
                    dropId, userId, sizeCode);
        } catch (DuplicateKeyException e) {
            return Result.ALREADY_ENTERED;
        }

        int updated = jdbc.update(
                "UPDATE drop_sizes SET remaining = remaining - 1 WHERE drop_id = ? AND size_code = ? AND remaining > 0",
                dropId, sizeCode);
        if (updated == 0) {
            // lost the race for the last pair: roll back the entry row too
            throw new SoldOutException(dropId, sizeCode);
        }
        return Result.RESERVED;
    }
}
