package com.alpinelifts.gates.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

/**
 * Turnstile readers at each lift call this endpoint when a pass is scanned.
 * Runs as the "gate-api" deployment (replicas: 4) behind the resort ingress.
 *
 * To stop pass sharing we allow at most one scan per pass per lift every
 * 90 seconds, and we throttle noisy readers that spam the endpoint.
 */
@RestController
@RequestMapping("/gates")
public class SkiLiftGateController {

    private static final Duration PASS_COOLDOWN = Duration.ofSeconds(90);
    private static final int READER_MAX_PER_MINUTE = 120;

    private final PassService passes;

    // readerAddress -> timestamps of recent calls
    private final Map<String, Deque<Instant>> readerWindow = new ConcurrentHashMap<>();

    public SkiLiftGateController(PassService passes) {
        this.passes = passes;
    }

    public record ScanRequest(String passId, String liftId) {}
    public record ScanResponse(boolean open, String reason) {}

    @PostMapping("/scan")
    public ResponseEntity<ScanResponse> scan(@RequestBody ScanRequest req, HttpServletRequest http) {
        String reader = http.getHeader("X-Forwarded-For");
        if (reader == null) {
            reader = http.getRemoteAddr();
        }

        if (!allowReader(reader)) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .body(new ScanResponse(false, "reader throttled"));
        }

        if (!passes.isValidToday(req.passId())) {
            return ResponseEntity.ok(new ScanResponse(false, "pass not valid today"));
        }

        // recordRideIfCooledDown does a conditional insert in Postgres, so the
        // cooldown holds no matter which replica handles the scan.
        boolean accepted = passes.recordRideIfCooledDown(
                req.passId(), req.liftId(), Instant.now(), PASS_COOLDOWN);
        if (!accepted) {
            return ResponseEntity.ok(new ScanResponse(false, "pass used at this lift moments ago"));
        }
        return ResponseEntity.ok(new ScanResponse(true, "ok"));
    }

    private boolean allowReader(String reader) {
        Instant cutoff = Instant.now().minusSeconds(60);
        Deque<Instant> window = readerWindow.computeIfAbsent(reader, r -> new ConcurrentLinkedDeque<>());
        while (!window.isEmpty() && window.peekFirst().isBefore(cutoff)) {
            window.pollFirst();
        }
        if (window.size() >= READER_MAX_PER_MINUTE) {
            return false;
        }
        window.addLast(Instant.now());
        return true;
    }

    public interface PassService {
        boolean isValidToday(String passId);
        boolean recordRideIfCooledDown(String passId, String liftId, Instant at, Duration cooldown);
    }
}
