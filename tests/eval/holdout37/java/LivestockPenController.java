package org.countyshow.pens.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Public pen finder for the county agricultural show. Exhibitors and visitors look up
 * which pen a class of sheep, cattle or pigs is housed in on show days.
 *
 * Deployment: showground-api, replicas: 3 behind the ingress (see helm/values-show.yaml).
 * The lookup is public, so it is throttled to 30 requests per client per minute.
 */
@RestController
@RequestMapping("/public/shows/{showId}/pens")
public class LivestockPenController {

    private static final int LIMIT_PER_MINUTE = 30;
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Map<String, Deque<Instant>> recentHits = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;

    public LivestockPenController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping
    public List<Map<String, Object>> pensForSection(@PathVariable long showId,
                                                    @RequestParam String section,
                                                    HttpServletRequest request) {
        throttle(clientKey(request));
        return jdbc.queryForList(
                "SELECT pen_number, class_code, breed, exhibitor_name, tag_count " +
                "FROM show_pens WHERE show_id = ? AND section = ? ORDER BY pen_number LIMIT 300",
                showId, section);
    }

    @GetMapping("/by-exhibitor")
    public List<Map<String, Object>> pensForExhibitor(@PathVariable long showId,
                                                      @RequestParam String exhibitorNumber,
                                                      HttpServletRequest request) {
        throttle(clientKey(request));
        return jdbc.queryForList(
                "SELECT pen_number, section, class_code, breed FROM show_pens " +
                "WHERE show_id = ? AND exhibitor_number = ? ORDER BY section, pen_number LIMIT 50",
                showId, exhibitorNumber);
    }

    private String clientKey(HttpServletRequest request) {
        // the ingress adds the caller's address in front of any existing entries
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    private void throttle(String client) {
        Instant now = Instant.now();
        Deque<Instant> hits = recentHits.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (hits) {
            while (!hits.isEmpty() && hits.peekFirst().isBefore(now.minus(WINDOW))) {
                hits.pollFirst();
            }
            if (hits.size() >= LIMIT_PER_MINUTE) {
                throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS, "Slow down a little");
            }
            hits.addLast(now);
        }
    }
}
