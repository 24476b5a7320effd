package org.stmarysbenefice.organ;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/**
 * Practice slots on the organs of the five benefice churches. Before a slot is claimed we
 * ask the diocesan calendar whether a wedding or funeral has been booked into the church.
 */
@Service
public class OrganPracticeSlotService {

    private static final Logger log = LoggerFactory.getLogger(OrganPracticeSlotService.class);
    private static final int CLAIMS_PER_HOUR = 6;

    public record CalendarCheck(boolean churchFree, String reason) {}

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final WebClient calendar;

    public OrganPracticeSlotService(JdbcTemplate jdbc, StringRedisTemplate redis, WebClient.Builder builder) {
        this.jdbc = jdbc;
        this.redis = redis;
        HttpClient netty = HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
            .responseTimeout(Duration.ofSeconds(4));
        this.calendar = builder
            .baseUrl("https://calendar.diocese.example.org/api")
            .clientConnector(new ReactorClientHttpConnector(netty))
            .build();
    }

    public boolean claim(long churchId, long organistId, LocalDateTime slotStart) {
        // shared limiter: the app runs on two instances, the counter lives in Redis
        String bucket = "organ:claims:" + organistId + ":" + (System.currentTimeMillis() / 3_600_000);
        Long used = redis.opsForValue().increment(bucket);
        if (used != null && used == 1L) {
            redis.expire(bucket, Duration.ofHours(1));
        }
        if (used != null && used > CLAIMS_PER_HOUR) {
            throw new TooManyClaimsException(organistId);
        }

        CalendarCheck check = calendar.get()
            .uri("/churches/{id}/availability?start={start}&minutes=60", churchId, slotStart)
            .retrieve()
            .bodyToMono(CalendarCheck.class)
            .retryWhen(Retry.backoff(3, Duration.ofMillis(250))
                .maxBackoff(Duration.ofSeconds(2))
                .jitter(0.5)
                .filter(e -> !(e instanceof WebClientResponseException.BadRequest)))
            .doOnError(e -> log.error("diocesan calendar check failed for church {} at {}", churchId, slotStart, e))
            .block(Duration.ofSeconds(12));
        if (check == null || !check.churchFree()) {
            return false;
        }

        // unique (church_id, slot_start) decides who gets a contested slot
        int inserted = jdbc.update(
            "INSERT INTO organ_practice_slots (church_id, slot_start, organist_id, claimed_at) " +
            "VALUES (?, ?, ?, now()) ON CONFLICT (church_id, slot_start) DO NOTHING",
            churchId, slotStart, organistId);
        return inserted == 1;
    }

    public List<LocalDateTime> myUpcoming(long churchId, long organistId) {
        return jdbc.queryForList(
            "SELECT slot_start FROM organ_practice_slots " +
            "WHERE church_id = ? AND organist_id = ? AND slot_start >= now() ORDER BY slot_start LIMIT 20",
            LocalDateTime.class, churchId, organistId);
    }
}
