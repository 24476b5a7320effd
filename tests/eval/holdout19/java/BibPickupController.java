package com.harbourmarathon.expo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

// bib-pickup-svc — helm values: replicaCount: 4 (expo tablets + public "find my bib" page)
@RestController
@RequestMapping("/pickup")
public class BibPickupController {

    private static final int MAX_LOOKUPS_PER_MINUTE = 10;

    // ip -> timestamps of recent lookups, stops people scraping names/bib numbers
    private static final Map<String, Deque<Long>> LOOKUPS = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    public BibPickupController(JdbcTemplate jdbc) { this.jdbc = jdbc; }

    @GetMapping("/lookup")
    public ResponseEntity<?> lookup(@RequestParam String lastName, @RequestParam String birthDate,
                                    HttpServletRequest request) {
        String ip = request.getHeader("X-Forwarded-For");
        if (ip == null) ip = request.getRemoteAddr();

        long now = System.currentTimeMillis();
        Deque<Long> q = LOOKUPS.computeIfAbsent(ip, k -> new ArrayDeque<>());
        synchronized (q) {
            while (!q.isEmpty() && now - q.peekFirst() > 60_000) q.pollFirst();
            if (q.size() >= MAX_LOOKUPS_PER_MINUTE) {
                return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
            }
            q.addLast(now);
        }

        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT bib_number, first_name, corral, wave FROM runners WHERE lower(last_name) = lower(?) AND birth_date = ?::date LIMIT 5",
                lastName, birthDate);
        return ResponseEntity.ok(rows);
    }

    @PostMapping("/{bibNumber}/collect")
    public ResponseEntity<Void> collect(@PathVariable int bibNumber, @RequestParam String desk) {
        int n = jdbc.update(
                "INSERT INTO pickups (bib_number, desk, picked_up_at) VALUES (?, ?, now()) ON CONFLICT (bib_number) DO NOTHING",
                bibNumber, desk);
        return n == 1 ? ResponseEntity.noContent().build() : ResponseEntity.status(HttpStatus.CONFLICT).build();
    }

    // big board over the desks + every volunteer tablet polls this every 10 s
    @GetMapping("/stats")
    public List<Map<String, Object>> stats() {
        return jdbc.queryForList("""
                SELECT r.wave, r.corral,
                       COUNT(*)                         AS registered,
                       COUNT(p.bib_number)              AS picked_up,
                       COUNT(*) FILTER (WHERE r.tshirt_size = 'M' AND p.bib_number IS NOT NULL) AS m_shirts_out,
                       COUNT(DISTINCT p.desk)           AS desks_active
                FROM runners r
                LEFT JOIN pickups p ON p.bib_number = r.bib_number
                GROUP BY r.wave, r.corral
                ORDER BY r.wave, r.corral
                """);
    }
}
