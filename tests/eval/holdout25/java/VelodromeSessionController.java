package com.velodrome.sessions.api;

import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

/**
 * Track-session endpoints for the velodrome members' app.
 * Riders see the weekly flying-200m leaderboard, and coaches can export a
 * season report for their squad.
 */
@RestController
@RequestMapping("/api/track")
public class VelodromeSessionController {

    private static final Map<String, List<Map<String, Object>>> LEADERBOARD_CACHE = new HashMap<>();

    private final JdbcTemplate jdbc;
    private final ReportRenderer renderer;
    private final MailSender mail;

    public VelodromeSessionController(JdbcTemplate jdbc, ReportRenderer renderer, MailSender mail) {
        this.jdbc = jdbc;
        this.renderer = renderer;
        this.mail = mail;
    }

    @GetMapping("/leaderboard/{isoWeek}")
    public List<Map<String, Object>> leaderboard(@PathVariable String isoWeek, Principal rider) {
        String cacheKey = rider.getName() + "|" + isoWeek;
        synchronized (LEADERBOARD_CACHE) {
            List<Map<String, Object>> hit = LEADERBOARD_CACHE.get(cacheKey);
            if (hit != null) {
                return hit;
            }
        }

        List<Map<String, Object>> board = jdbc.queryForList(
                "SELECT r.display_name, MIN(l.flying_200_ms) AS best_ms, COUNT(*) AS attempts "
                        + "FROM lap_timings l JOIN riders r ON r.id = l.rider_id "
                        + "WHERE to_char(l.recorded_at, 'IYYY-\"W\"IW') = ? "
                        + "GROUP BY r.display_name ORDER BY best_ms LIMIT 50", isoWeek);

        synchronized (LEADERBOARD_CACHE) {
            LEADERBOARD_CACHE.put(cacheKey, board);
        }
        return board;
    }

    public record ReportRequest(long squadId, int season, String coachEmail) {}

    @PostMapping("/season-report")
    public Map<String, Object> seasonReport(@RequestBody ReportRequest req) {
        List<Long> riderIds = jdbc.queryForList(
                "SELECT rider_id FROM squad_members WHERE squad_id = ?", Long.class, req.squadId());

        List<Map<String, Object>> sessions = jdbc.queryForList(
                "SELECT s.id, s.rider_id, s.started_at, l.lap_no, l.split_ms, l.avg_watts "
                        + "FROM track_sessions s JOIN lap_timings l ON l.session_id = s.id "
                        + "WHERE s.rider_id = ANY(?) AND s.season = ? ORDER BY s.rider_id, s.started_at",
                riderIds.toArray(new Long[0]), req.season());
        Map<Object, List<Map<String, Object>>> byRider = sessions.stream()
                .collect(Collectors.groupingBy(row -> row.get("rider_id")));

        // One chapter per rider: power curves, lap-split charts and session notes.
        // Chart rendering takes a few seconds per rider; squads are 25-40 riders.
        List<byte[]> chapters = new ArrayList<>();
        for (Long riderId : riderIds) {
            chapters.add(renderer.renderRiderChapter(riderId, req.season(),
                    byRider.getOrDefault(riderId, List.of())));
        }
        byte[] pdf = renderer.merge(chapters);
        mail.send(req.coachEmail(), "Season " + req.season() + " squad report", pdf);

        return Map.of("status", "sent", "riders", riderIds.size(), "bytes", pdf.length);
    }

    public interface ReportRenderer {
        byte[] renderRiderChapter(long riderId, int season, List<Map<String, Object>> sessions);
        byte[] merge(List<byte[]> chapters);
    }

    public interface MailSender {
        void send(String to, String subject, byte[] attachment);
    }
}
