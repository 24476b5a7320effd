package org.communityorchard.pruning;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Volunteer sign-ups for community orchard pruning days.
 * Runs on 3 pods; all coordination goes through Postgres and Redis.
 */
@Service
public class OrchardPruningSignupService {

    private static final Logger log = LoggerFactory.getLogger(OrchardPruningSignupService.class);
    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 5_000;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final WebClient smsGateway;   // built in SmsConfig with a 3 s response timeout

    public OrchardPruningSignupService(JdbcTemplate jdbc, StringRedisTemplate redis, WebClient smsGateway) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.smsGateway = smsGateway;
    }

    /** Returns true if this call created the sign-up; repeated taps with the same key are no-ops. */
    @Transactional
    public boolean signUp(long orchardId, long dayId, long volunteerId, String idempotencyKey) {
        // Lock the day row so concurrent sign-ups for the same day queue up behind us.
        Integer max = jdbc.queryForObject(
                "SELECT max_volunteers FROM pruning_days WHERE id = ? AND orchard_id = ? FOR UPDATE",
                Integer.class, dayId, orchardId);
        Integer taken = jdbc.queryForObject(
                "SELECT COUNT(*) FROM pruning_signups WHERE orchard_id = ? AND day_id = ?",
                Integer.class, orchardId, dayId);
        if (max == null || taken >= max) {
            return false;
        }
        int inserted = jdbc.update(
                "INSERT INTO pruning_signups (orchard_id, day_id, volunteer_id, idempotency_key) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
                orchardId, dayId, volunteerId, idempotencyKey);
        return inserted == 1;
    }

    /** Ladder-bag reminder; one per volunteer per day, across all pods. */
    public void sendReminder(long dayId, long volunteerId, String phone) {
        String key = "pruning:reminder:" + dayId + ":" + volunteerId;
        Boolean first = redis.opsForValue().setIfAbsent(key, "1", Duration.ofDays(2));
        if (!Boolean.TRUE.equals(first)) {
            return;
        }

        for (int attempt = 1; ; attempt++) {
            try {
                smsGateway.post().uri("/messages")
                        .bodyValue(new Sms(phone, "Pruning tomorrow 9am - bring loppers and gloves"))
                        .retrieve()
                        .toBodilessEntity()
                        .block(Duration.ofSeconds(5));
                return;
            } catch (WebClientResponseException e) {
                if (attempt >= MAX_ATTEMPTS || e.getStatusCode().is4xxClientError()) {
                    log.error("reminder to volunteer {} failed after {} attempts", volunteerId, attempt, e);
                    redis.delete(key);
                    throw e;
                }
                long cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * (1L << attempt));
                sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", ie);
        }
    }

    record Sms(String to, String body) {}
}
