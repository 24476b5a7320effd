package studio.typeandink.bookings;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

/**
 * Press bookings for the letterpress studio (Adana 8x5, Vandercook SP-15, the big Albion).
 *
 * Runs on Fly.io, three machines in lhr (fly.toml: min_machines_running = 3).
 */
@RestController
@RequestMapping("/api/studio")
public class LetterpressStudioController {

    private static final int MAX_REQUESTS_PER_MINUTE = 20;

    // Sliding one-minute window of request times per client address.
    private final Map<String, Deque<Long>> requestLog = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final ProofRenderer proofRenderer;

    public LetterpressStudioController(JdbcTemplate jdbc, ProofRenderer proofRenderer) {
        this.jdbc = jdbc;
        this.proofRenderer = proofRenderer;
    }

    public record BookingRequest(long memberId, String press, LocalDateTime slotStart, int hours) {}

    @PostMapping("/bookings")
    public ResponseEntity<?> book(@RequestBody BookingRequest req, HttpServletRequest http) {
        if (!allow(clientAddress(http))) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
        }
        try {
            // uq_press_slot (press, slot_start) stops two members booking the same press hour
            jdbc.update("INSERT INTO press_bookings (member_id, press, slot_start, hours) VALUES (?, ?, ?, ?)",
                    req.memberId(), req.press(), req.slotStart(), req.hours());
        } catch (DuplicateKeyException e) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", req.press() + " is already booked at " + req.slotStart()));
        }
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    /**
     * Renders high-resolution proofs of every forme in a job so the member can check
     * spacing and kerning before locking up the chase.
     */
    @PostMapping("/jobs/{jobId}/proofs")
    public ResponseEntity<Map<String, Object>> renderProofs(@PathVariable long jobId, HttpServletRequest http) {
        if (!allow(clientAddress(http))) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
        }
        List<Long> formeIds = jdbc.queryForList(
                "SELECT id FROM formes WHERE job_id = ? ORDER BY sequence LIMIT 200", Long.class, jobId);

        int rendered = 0;
        for (Long formeId : formeIds) {
            // 1200 dpi TIFF + PDF preview, roughly 4-6 s per forme
            Path tiff = proofRenderer.renderAt1200Dpi(formeId);
            proofRenderer.writePdfPreview(formeId, tiff);
            rendered++;
        }
        jdbc.update("UPDATE print_jobs SET proofs_ready_at = now() WHERE id = ?", jobId);
        return ResponseEntity.ok(Map.of("jobId", jobId, "formesRendered", rendered));
    }

    private String clientAddress(HttpServletRequest http) {
        String forwarded = http.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return http.getRemoteAddr();
    }

    private boolean allow(String client) {
        long now = Instant.now().toEpochMilli();
        Deque<Long> window = requestLog.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && now - window.peekFirst() > 60_000) {
                window.pollFirst();
            }
            if (window.size() >= MAX_REQUESTS_PER_MINUTE) {
                return false;
            }
            window.addLast(now);
            return true;
        }
    }
}
