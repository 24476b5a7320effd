package com.suds.laundry.api;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Machine holds and usage exports for the Suds app. The API runs on 3 pods, so anything
 * that has to be shared between requests (holds, rate counters, job status) lives in
 * Redis or Postgres.
 */
@RestController
@RequestMapping("/api/stores/{storeId}")
public class LaundromatMachineController {

    private static final Duration HOLD_TTL = Duration.ofMinutes(5);
    private static final int HOLDS_PER_MINUTE = 6;

    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final UsageExportWorker exportWorker;   // @Async bean on the "exports" executor

    public LaundromatMachineController(StringRedisTemplate redis, JdbcTemplate jdbc,
                                       UsageExportWorker exportWorker) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.exportWorker = exportWorker;
    }

    /**
     * Holds a washer/dryer for 5 minutes while the customer walks over and pays at the
     * machine. SET NX means only one customer can hold it; Redis drops the key on expiry.
     */
    @PostMapping("/machines/{machineId}/hold")
    public ResponseEntity<?> hold(@PathVariable long storeId, @PathVariable long machineId,
                                  @AuthenticationPrincipal AppUser user) {
        String rateKey = "rl:hold:" + user.id() + ":" + (System.currentTimeMillis() / 60_000);
        Long count = redis.opsForValue().increment(rateKey);
        if (count != null && count == 1) {
            redis.expire(rateKey, Duration.ofMinutes(2));
        }
        if (count != null && count > HOLDS_PER_MINUTE) {
            return ResponseEntity.status(429).body(Map.of("error", "slow down"));
        }

        String holdKey = "hold:store:" + storeId + ":machine:" + machineId;
        Boolean acquired = redis.opsForValue().setIfAbsent(holdKey, String.valueOf(user.id()), HOLD_TTL);
        if (!Boolean.TRUE.equals(acquired)) {
            return ResponseEntity.status(409).body(Map.of("error", "machine already held"));
        }
        return ResponseEntity.ok(Map.of("machineId", machineId, "heldForSeconds", HOLD_TTL.toSeconds()));
    }

    /**
     * Owners can export a year of cycle data as CSV. That takes a while for busy stores,
     * so the request only records the job and returns 202; the app polls the status URL.
     */
    @PostMapping("/usage-exports")
    @PreAuthorize("@storeAccess.isOwner(authentication, #storeId)")
    public ResponseEntity<?> requestExport(@PathVariable long storeId, @RequestParam int year,
                                           @AuthenticationPrincipal AppUser user) {
        UUID jobId = UUID.randomUUID();
        jdbc.update("INSERT INTO usage_exports (id, store_id, requested_by, year, status, expires_at) "
                + "VALUES (?, ?, ?, ?, 'QUEUED', now() + interval '7 days')", jobId, storeId, user.id(), year);
        exportWorker.generate(jobId);
        return ResponseEntity.accepted()
                .location(URI.create("/api/stores/" + storeId + "/usage-exports/" + jobId))
                .body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/usage-exports/{jobId}")
    @PreAuthorize("@storeAccess.isOwner(authentication, #storeId)")
    public Map<String, Object> exportStatus(@PathVariable long storeId, @PathVariable UUID jobId) {
        return jdbc.queryForMap(
                "SELECT id, status, download_url, expires_at FROM usage_exports WHERE id = ? AND store_id = ?",
                jobId, storeId);
    }

    /** Download links are valid for a week; expired rows are deleted nightly (files go via the bucket lifecycle rule). */
    @Scheduled(cron = "0 15 3 * * *")
    public void purgeExpiredExports() {
        jdbc.update("DELETE FROM usage_exports WHERE expires_at < now()");
    }
}
