package org.hedgelaying.competitions.api;

import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;

/**
 * Competition entries for hedge-laying associations. One deployment serves every county
 * association (Midland, South of England, Welsh Border, ...); each row carries association_id
 * and the signed-in steward only ever works within their own association.
 */
@RestController
@RequestMapping("/api/competitions")
public class HedgeLayingEntriesController {

    private static final int MAX_PAGE_SIZE = 100;

    private final JdbcTemplate jdbc;

    public HedgeLayingEntriesController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Entries for one competition, paged, for the steward's entry desk. */
    @GetMapping("/{competitionId}/entries")
    public List<Map<String, Object>> entries(@AuthenticationPrincipal StewardPrincipal steward,
                                             @PathVariable long competitionId,
                                             @RequestParam(defaultValue = "0") int page,
                                             @RequestParam(defaultValue = "50") int size) {
        int limit = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
        return jdbc.queryForList(
                "SELECT id, competitor_name, class, style, plot_number, entered_at FROM competition_entries "
                        + "WHERE association_id = ? AND competition_id = ? ORDER BY plot_number LIMIT ? OFFSET ?",
                steward.associationId(), competitionId, limit, page * limit);
    }

    /** A single entry with its judging breakdown, opened from the entry desk. */
    @GetMapping("/entries/{entryId}")
    public ResponseEntity<Map<String, Object>> entry(@AuthenticationPrincipal StewardPrincipal steward,
                                                     @PathVariable long entryId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT e.id, e.competitor_name, e.class, e.style, e.plot_number, e.phone FROM competition_entries e WHERE e.id = ?",
                entryId);
        if (rows.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        Map<String, Object> entry = rows.get(0);
        entry.put("scores", jdbc.queryForList(
                "SELECT judge_name, criterion, points FROM judge_scores WHERE entry_id = ? AND association_id = ?",
                entryId, steward.associationId()));
        return ResponseEntity.ok(entry);
    }

    /** Every past entry of the association, used by the "previous competitors" autocomplete. */
    @GetMapping("/entries/history")
    public List<Map<String, Object>> history(@AuthenticationPrincipal StewardPrincipal steward) {
        return jdbc.queryForList(
                "SELECT competitor_name, phone, class, style, competition_id, entered_at FROM competition_entries WHERE association_id = ? ORDER BY entered_at DESC",
                steward.associationId());
    }

    /** All-time standings shown on the association's public landing page. */
    @GetMapping("/standings")
    public List<Map<String, Object>> standings(@RequestParam long associationId) {
        return jdbc.queryForList("SELECT e.competitor_name, COUNT(DISTINCT e.competition_id) AS outings, "
                        + "SUM(s.points) AS total_points, AVG(s.points) AS avg_points, MAX(c.held_on) AS last_competed "
                        + "FROM judge_scores s "
                        + "JOIN competition_entries e ON e.id = s.entry_id "
                        + "JOIN competitions c ON c.id = e.competition_id "
                        + "WHERE e.association_id = ? "
                        + "GROUP BY e.competitor_name "
                        + "ORDER BY total_points DESC LIMIT 25",
                associationId);
    }
}
