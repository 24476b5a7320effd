package org.stmaryfete.tombola.web;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

/**
 * Back-office screens for the village fete tombola. Committee members log in
 * on their phones on fete day to see how the prize table is doing and to hand
 * out prizes against winning ticket numbers.
 */
@RestController
@RequestMapping("/api/tombola")
public class TombolaDashboardController {

    public record PrizeSummary(int totalPrizes, int claimed, int unclaimed,
                               List<Map<String, Object>> byDonor) {}

    public record ClaimRequest(int ticketNumber) {}

    private final JdbcTemplate jdbc;

    // Summaries are cheap to keep around and save hitting the database on every refresh.
    private final Map<String, PrizeSummary> summaryCache = new ConcurrentHashMap<>();

    public TombolaDashboardController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/dashboard")
    public PrizeSummary dashboard(Principal principal) {
        String cacheKey = "prize-summary:" + principal.getName();
        return summaryCache.computeIfAbsent(cacheKey, k -> loadSummary());
    }

    private PrizeSummary loadSummary() {
        Map<String, Object> totals = jdbc.queryForMap(
                "SELECT COUNT(*) AS total, COUNT(claimed_at) AS claimed FROM tombola_prizes WHERE fete_year = EXTRACT(YEAR FROM now())");
        List<Map<String, Object>> byDonor = jdbc.queryForList(
                "SELECT donor_name, COUNT(*) AS prizes FROM tombola_prizes "
                        + "WHERE fete_year = EXTRACT(YEAR FROM now()) GROUP BY donor_name ORDER BY prizes DESC LIMIT 10");
        int total = ((Number) totals.get("total")).intValue();
        int claimed = ((Number) totals.get("claimed")).intValue();
        return new PrizeSummary(total, claimed, total - claimed, byDonor);
    }

    // Ticket numbers ending in 0 or 5 win; the prize is pre-assigned to the number.
    @PostMapping("/claims")
    public ResponseEntity<?> claim(@RequestBody ClaimRequest req, Principal principal) {
        int updated = jdbc.update(
                "UPDATE tombola_prizes SET claimed_at = now(), handed_out_by = ? "
                        + "WHERE ticket_number = ? AND fete_year = EXTRACT(YEAR FROM now()) AND claimed_at IS NULL",
                principal.getName(), req.ticketNumber());
        if (updated == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "No unclaimed prize for ticket " + req.ticketNumber()));
        }
        return ResponseEntity.ok(Map.of("ticketNumber", req.ticketNumber(), "claimed", true));
    }

    // Prize table listing, paged because donors bring a lot of bottles.
    @GetMapping("/prizes")
    public List<Map<String, Object>> prizes(@RequestParam(defaultValue = "0") int page) {
        int pageSize = 40;
        return jdbc.queryForList(
                "SELECT ticket_number, description, donor_name, claimed_at FROM tombola_prizes "
                        + "WHERE fete_year = EXTRACT(YEAR FROM now()) ORDER BY ticket_number LIMIT ? OFFSET ?",
                pageSize, Math.max(page, 0) * pageSize);
    }
}
