package net.tramworks.volunteers.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import net.tramworks.volunteers.security.CurrentSociety;

/**
 * Dashboard for tram restoration volunteer coordinators. Each heritage society on the
 * platform (Crich, Beamish, Summerlee, ...) has its own volunteers, depots and shifts;
 * every table carries a society_id.
 */
@RestController
@RequestMapping("/api/dashboard")
public class VolunteerDashboardController {

    public record DepotHours(String depot, String workstream, double hoursThisYear, int activeVolunteers) {}
    public record ShiftCard(long shiftId, String title, String depot, String startsAt, List<String> crew) {}
    public record Dashboard(List<DepotHours> hours, List<ShiftCard> upcoming) {}

    private final JdbcTemplate jdbc;
    private final CurrentSociety currentSociety;

    // One summary per society, refreshed every 10 minutes.
    private final Cache<Long, List<DepotHours>> hoursCache = Caffeine.newBuilder()
            .maximumSize(200)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    public VolunteerDashboardController(JdbcTemplate jdbc, CurrentSociety currentSociety) {
        this.jdbc = jdbc;
        this.currentSociety = currentSociety;
    }

    @GetMapping
    public Dashboard dashboard() {
        long societyId = currentSociety.id();
        return new Dashboard(depotHours(societyId), upcomingShifts(societyId));
    }

    private List<DepotHours> depotHours(long societyId) {
        List<DepotHours> cached = hoursCache.getIfPresent(societyId);
        if (cached != null) {
            return cached;
        }
        // Hours logged per depot and workstream (bogie overhaul, trolley poles, lining-out...)
        List<DepotHours> fresh = jdbc.query(
                "SELECT d.name AS depot, w.name AS workstream, "
                        + "sum(extract(epoch FROM l.clock_out - l.clock_in)) / 3600.0 AS hours, "
                        + "count(DISTINCT l.volunteer_id) AS volunteers "
                        + "FROM shift_logs l JOIN depots d ON d.id = l.depot_id "
                        + "JOIN workstreams w ON w.id = l.workstream_id "
                        + "WHERE l.society_id = ? AND l.clock_in >= date_trunc('year', now()) "
                        + "GROUP BY d.name, w.name ORDER BY hours DESC",
                (rs, i) -> new DepotHours(rs.getString("depot"), rs.getString("workstream"),
                        rs.getDouble("hours"), rs.getInt("volunteers")),
                societyId);
        hoursCache.put(societyId, fresh);
        return fresh;
    }

    private List<ShiftCard> upcomingShifts(long societyId) {
        List<ShiftCard> cards = new ArrayList<>();
        List<java.util.Map<String, Object>> shifts = jdbc.queryForList(
                "SELECT s.id, s.title, d.name AS depot, to_char(s.starts_at, 'Dy DD Mon HH24:MI') AS starts "
                        + "FROM volunteer_shifts s JOIN depots d ON d.id = s.depot_id "
                        + "WHERE s.starts_at BETWEEN now() AND now() + interval '7 days' "
                        + "ORDER BY s.starts_at LIMIT 30");

        for (java.util.Map<String, Object> shift : shifts) {
            long shiftId = ((Number) shift.get("id")).longValue();
            List<String> crew = jdbc.queryForList(
                    "SELECT v.first_name || ' ' || left(v.last_name, 1) FROM shift_signups su "
                            + "JOIN volunteers v ON v.id = su.volunteer_id "
                            + "WHERE su.shift_id = ? AND su.society_id = ? ORDER BY su.created_at",
                    String.class, shiftId, societyId);
            cards.add(new ShiftCard(shiftId, (String) shift.get("title"), (String) shift.get("depot"),
                    (String) shift.get("starts"), crew));
        }
        return cards;
    }
}
