package uk.gov.floodwatch.api;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Public river-level API: recent gauge readings and SMS alert sign-up.
 * Deployed as the "floodwatch-api" Deployment, replicas: 4, behind the shared ingress.
 */
@RestController
@RequestMapping("/v1/gauges")
public class RiverLevelAlertController {

    private static final int MAX_SIGNUPS_PER_HOUR = 5;
    private static final long WINDOW_MS = 3_600_000L;

    private final JdbcTemplate jdbc;
    private final SmsVerificationService sms;

    // Sign-up attempts per client over the last hour.
    private final Map<String, Deque<Long>> signupAttempts = new ConcurrentHashMap<>();

    public RiverLevelAlertController(JdbcTemplate jdbc, SmsVerificationService sms) {
        this.jdbc = jdbc;
        this.sms = sms;
    }

    @GetMapping("/{gaugeId}/readings")
    public List<Reading> readings(@PathVariable String gaugeId,
                                  @RequestParam(defaultValue = "24") int hours) {
        int window = Math.min(Math.max(hours, 1), 72);
        return jdbc.query("""
                SELECT read_at, level_m, trend
                FROM gauge_readings
                WHERE gauge_id = ? AND read_at > now() - make_interval(hours => ?)
                ORDER BY read_at
                """, (rs, i) -> new Reading(rs.getObject("read_at", Instant.class),
                        rs.getDouble("level_m"), rs.getString("trend")), gaugeId, window);
    }

    @PostMapping("/{gaugeId}/alerts")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public void signUp(@PathVariable String gaugeId, @Valid @RequestBody AlertSignup body,
                       HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        String client = forwarded != null ? forwarded.split(",")[0].trim() : request.getRemoteAddr();

        long now = System.currentTimeMillis();
        Deque<Long> attempts = signupAttempts.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (attempts) {
            while (!attempts.isEmpty() && now - attempts.peekFirst() > WINDOW_MS) {
                attempts.pollFirst();
            }
            if (attempts.size() >= MAX_SIGNUPS_PER_HOUR) {
                throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS, "try again later");
            }
            attempts.addLast(now);
        }

        // Sends a code to the phone; the subscription is stored once the code is confirmed.
        sms.sendVerificationCode(body.phone(), gaugeId, body.thresholdM());
    }

    @Scheduled(fixedDelay = 600_000)
    void forgetIdleClients() {
        long cutoff = System.currentTimeMillis() - WINDOW_MS;
        signupAttempts.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast() < cutoff;
            }
        });
    }

    public record Reading(Instant readAt, double levelM, String trend) {}
    public record AlertSignup(String phone, double thresholdM) {}
}
