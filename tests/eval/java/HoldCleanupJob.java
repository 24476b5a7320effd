package com.example.booking;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

@Component
public class HoldCleanupJob {

    private final JdbcTemplate jdbc;

    public HoldCleanupJob(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void holdCart(long cartId) {
        jdbc.update("UPDATE carts SET reserved_until = ? WHERE id = ?",
                java.sql.Timestamp.from(Instant.now().plus(15, ChronoUnit.MINUTES)), cartId);
    }

    @Scheduled(fixedDelay = 60_000)
    public void releaseExpiredCarts() {
        jdbc.update("UPDATE carts SET reserved_until = NULL WHERE reserved_until < now()");
    }

    @Scheduled(cron = "0 */5 * * * *")
    public void purgeExpiredTokens() {
        jdbc.update("DELETE FROM api_tokens WHERE expires_at < now()");
    }
}
