package guild.looms.dashboard;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Members' dashboard for the weavers' guild loom library: how busy each
 * floor loom and tapestry frame is this week, and the all-time weaving hours
 * leaderboard shown in the sidebar.
 */
@RestController
@RequestMapping("/api/dashboard")
public class LoomDashboardController {

    private static final Duration SUMMARY_MAX_AGE = Duration.ofMinutes(10);

    private record CachedSummary(List<Map<String, Object>> rows, Instant computedAt) {}

    private static final Map<String, CachedSummary> summaryCache = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    public LoomDashboardController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Utilisation per loom for an ISO week (defaults to the current one). */
    @GetMapping("/utilisation")
    public List<Map<String, Object>> utilisation(@AuthenticationPrincipal UserDetails user,
                                                 @RequestParam(required = false) LocalDate weekOf) {
        LocalDate day = weekOf != null ? weekOf : LocalDate.now();
        int week = day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        String cacheKey = user.getUsername() + ":util:" + day.getYear() + "-W" + week;

        CachedSummary hit = summaryCache.get(cacheKey);
        if (hit != null && hit.computedAt().isAfter(Instant.now().minus(SUMMARY_MAX_AGE))) {
            return hit.rows();
        }

        LocalDate monday = day.with(java.time.DayOfWeek.MONDAY);
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT l.id, l.name, l.kind,
                       count(r.id) AS rentals,
                       coalesce(sum(least(r.ends_at, ?::timestamptz) - greatest(r.starts_at, ?::timestamptz)), interval '0') AS booked
                  FROM looms l
                  LEFT JOIN rentals r ON r.loom_id = l.id
                       AND r.starts_at < ?::timestamptz AND r.ends_at > ?::timestamptz
                 GROUP BY l.id, l.name, l.kind
                 ORDER BY l.name
                """, monday.plusDays(7), monday, monday.plusDays(7), monday);

        summaryCache.put(cacheKey, new CachedSummary(rows, Instant.now()));
        return rows;
    }

    /** Sidebar widget, rendered on every dashboard page. */
    @GetMapping("/leaderboard")
    public List<Map<String, Object>> leaderboard() {
        return jdbc.queryForList("""
                SELECT w.id, w.display_name,
                       count(DISTINCT r.id)      AS rentals,
                       count(DISTINCT r.loom_id) AS looms_used,
                       count(DISTINCT p.id)      AS finished_pieces,
                       round(sum(extract(epoch FROM (r.returned_at - r.collected_at))) / 3600) AS loom_hours,
                       sum(p.warp_metres)        AS warp_metres
                  FROM weavers w
                  JOIN rentals r           ON r.weaver_id = w.id
                  LEFT JOIN rental_projects rp ON rp.rental_id = r.id
                  LEFT JOIN projects p     ON p.id = rp.project_id AND p.finished_at IS NOT NULL
                 WHERE r.returned_at IS NOT NULL
                 GROUP BY w.id, w.display_name
                 ORDER BY loom_hours DESC
                 LIMIT 10
                """);
    }
}
