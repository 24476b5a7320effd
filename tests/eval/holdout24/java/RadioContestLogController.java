package net.hamcontest.logs.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;

import net.hamcontest.logs.rules.ContestRules;
import net.hamcontest.logs.rules.RulesLoader;
import net.hamcontest.security.OperatorPrincipal;

/**
 * Cabrillo log submission for the club's contests. Runs on 4 pods; limits live in
 * Redis and scoring happens in the log-worker deployment, which picks up queued jobs.
 */
@RestController
@RequestMapping("/api/contests/{contestId}/logs")
public class RadioContestLogController {

    private static final int UPLOADS_PER_DAY = 20;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final RulesLoader rulesLoader;

    // Contest rules change rarely; a handful of contests are open at any time.
    private final Cache<String, ContestRules> rules = Caffeine.newBuilder()
        .maximumSize(64)
        .expireAfterWrite(Duration.ofHours(1))
        .build();

    public RadioContestLogController(JdbcTemplate jdbc, StringRedisTemplate redis, RulesLoader rulesLoader) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.rulesLoader = rulesLoader;
    }

    @PostMapping(consumes = "text/plain")
    public ResponseEntity<?> upload(@PathVariable String contestId,
                                    @AuthenticationPrincipal OperatorPrincipal op,
                                    @RequestBody String cabrillo) throws NoSuchAlgorithmException {
        String limitKey = "log-upload:" + op.callsign() + ":" + java.time.LocalDate.now();
        Long count = redis.opsForValue().increment(limitKey);
        if (count != null && count == 1L) {
            redis.expire(limitKey, Duration.ofDays(1));
        }
        if (count != null && count > UPLOADS_PER_DAY) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .body(Map.of("error", "daily upload limit reached"));
        }

        // Cheap header checks only; full scoring of a 5,000-QSO log is done by the worker.
        ContestRules contest = rules.get(contestId, rulesLoader::load);
        if (!contest.acceptsCategoryLine(cabrillo)) {
            return ResponseEntity.badRequest().body(Map.of("error", "CATEGORY line not valid for " + contestId));
        }

        String sha = HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(cabrillo.getBytes(StandardCharsets.UTF_8)));

        // Same log uploaded twice -> same job (unique on callsign, contest, sha256).
        UUID jobId = jdbc.queryForObject(
            "INSERT INTO log_jobs (id, callsign, contest_id, sha256, cabrillo, status) " +
            "VALUES (gen_random_uuid(), ?, ?, ?, ?, 'QUEUED') " +
            "ON CONFLICT (callsign, contest_id, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256 " +
            "RETURNING id",
            UUID.class, op.callsign(), contestId, sha, cabrillo);

        return ResponseEntity.accepted()
            .location(URI.create("/api/contests/" + contestId + "/logs/jobs/" + jobId))
            .body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/jobs/{jobId}")
    public ResponseEntity<Map<String, Object>> job(@PathVariable String contestId,
                                                   @PathVariable UUID jobId,
                                                   @AuthenticationPrincipal OperatorPrincipal op) {
        return jdbc.queryForList(
                "SELECT id, status, claimed_score, qso_count, error_message, updated_at FROM log_jobs " +
                "WHERE id = ? AND contest_id = ? AND callsign = ?",
                jobId, contestId, op.callsign())
            .stream().findFirst()
            .map(ResponseEntity::ok)
            .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
