package org.morrisside.rota.sync;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pulls the next eight weeks of practice nights from the sides' shared hall
 * calendar and upserts the musician/dancer rota. The rota app runs on two
 * instances, so a Redis lock makes sure only one of them syncs at a time.
 */
@Component
public class PracticeRotaSyncJob {

    private static final Logger log = LoggerFactory.getLogger(PracticeRotaSyncJob.class);
    private static final String LOCK_KEY = "lock:practice-rota-sync";
    private static final int MAX_ATTEMPTS = 5;
    private static final long BASE_DELAY_MS = 500;
    private static final long MAX_DELAY_MS = 20_000;
    private static final RedisScript<Long> RELEASE = RedisScript.of(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", Long.class);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    @Value("${hall-calendar.url}")
    private String calendarUrl;

    public PracticeRotaSyncJob(StringRedisTemplate redis, JdbcTemplate jdbc, ObjectMapper mapper) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    @Scheduled(fixedDelay = 15 * 60 * 1000)
    public void sync() throws IOException, InterruptedException {
        String token = UUID.randomUUID().toString();
        Boolean acquired = redis.opsForValue().setIfAbsent(LOCK_KEY, token, Duration.ofMinutes(10));
        if (!Boolean.TRUE.equals(acquired)) {
            return;
        }
        try {
            LocalDate from = LocalDate.now();
            List<PracticeNight> nights = fetchNights(from, from.plusWeeks(8));
            jdbc.batchUpdate("INSERT INTO practice_nights (side_id, hall_booking_id, starts_at, hall, notes) "
                            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (side_id, hall_booking_id) "
                            + "DO UPDATE SET starts_at = EXCLUDED.starts_at, hall = EXCLUDED.hall, notes = EXCLUDED.notes",
                    nights.stream().map(n -> new Object[] {n.sideId(), n.bookingId(), n.startsAt(), n.hall(), n.notes()}).toList());
            log.info("synced {} practice nights", nights.size());
        } finally {
            redis.execute(RELEASE, List.of(LOCK_KEY), token);
        }
    }

    private List<PracticeNight> fetchNights(LocalDate from, LocalDate to) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(calendarUrl + "/bookings?from=" + from + "&to=" + to))
                .timeout(Duration.ofSeconds(15))
                .header("Accept", "application/json")
                .GET()
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() == 200) {
                    return mapper.readValue(resp.body(), new TypeReference<List<PracticeNight>>() {});
                }
                if (resp.statusCode() < 500 && resp.statusCode() != 429) {
                    throw new IOException("hall calendar returned " + resp.statusCode());
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IOException("hall calendar still returning " + resp.statusCode() + " after " + attempt + " attempts");
                }
            } catch (HttpTimeoutException e) {
                log.warn("hall calendar timed out (attempt {}/{})", attempt, MAX_ATTEMPTS);
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
            // Exponential backoff with full jitter, capped.
            long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << attempt);
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        }
    }

    public record PracticeNight(long sideId, String bookingId, OffsetDateTime startsAt, String hall, String notes) {}
}
