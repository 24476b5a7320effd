package uk.countylibraries.mobile.stops;

import java.security.Principal;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

/**
 * Stop timetable API for the mobile library vans. One deployment serves every
 * council library service on the platform (the council comes from the signed-in
 * librarian via TenantContext); it runs on 2 pods in the county-services cluster.
 */
@RestController
@RequestMapping("/api/stops")
public class MobileLibraryStopController {

    /** routeId -> librarian currently editing that route's timetable */
    private final Map<Long, String> routeEditors = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final RoutePlanner planner;

    public MobileLibraryStopController(JdbcTemplate jdbc, RoutePlanner planner) {
        this.jdbc = jdbc;
        this.planner = planner;
    }

    @GetMapping
    public List<StopRow> list(@RequestParam long routeId,
                              @RequestParam(defaultValue = "0") int page) {
        return jdbc.query(
                "SELECT id, route_id, village, stop_name, arrival_time, minutes_parked, sequence "
                        + "FROM library_stops WHERE council_id = ? AND route_id = ? ORDER BY sequence LIMIT 100 OFFSET ?",
                new DataClassRowMapper<>(StopRow.class), TenantContext.currentCouncilId(), routeId, page * 100);
    }

    @PostMapping("/routes/{routeId}/editor")
    public ResponseEntity<Void> startEditing(@PathVariable long routeId, Principal librarian) {
        String current = routeEditors.putIfAbsent(routeId, librarian.getName());
        if (current != null && !current.equals(librarian.getName())) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/routes/{routeId}/editor")
    public void stopEditing(@PathVariable long routeId, Principal librarian) {
        routeEditors.remove(routeId, librarian.getName());
    }

    @PutMapping("/{stopId}")
    public ResponseEntity<Void> updateStop(@PathVariable long stopId, @RequestBody StopForm form) {
        int updated = jdbc.update(
                "UPDATE library_stops SET stop_name = ?, arrival_time = ?, minutes_parked = ? WHERE id = ?",
                form.stopName(), form.arrivalTime(), form.minutesParked(), stopId);
        return updated == 1 ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    /**
     * Re-plans the stop order for a route against this term's road closures and
     * school-run times, trying each week of the timetable year. One optimise()
     * run takes 3-5 s for a typical 40-stop rural route.
     */
    @PostMapping("/routes/{routeId}/replan")
    public List<StopRow> replan(@PathVariable long routeId) {
        long councilId = TenantContext.currentCouncilId();
        List<StopRow> stops = jdbc.query(
                "SELECT id, route_id, village, stop_name, arrival_time, minutes_parked, sequence "
                        + "FROM library_stops WHERE council_id = ? AND route_id = ? ORDER BY sequence",
                new DataClassRowMapper<>(StopRow.class), councilId, routeId);

        RoutePlan best = null;
        for (int week = 1; week <= 52; week++) {
            RoutePlan candidate = planner.optimise(stops, week);
            if (best == null || candidate.totalMinutes() < best.totalMinutes()) {
                best = candidate;
            }
        }

        List<Object[]> args = new ArrayList<>();
        for (int i = 0; i < best.orderedStopIds().size(); i++) {
            args.add(new Object[] {i + 1, best.orderedStopIds().get(i), councilId});
        }
        jdbc.batchUpdate("UPDATE library_stops SET sequence = ? WHERE id = ? AND council_id = ?", args);
        return best.asRows(stops);
    }

    public record StopRow(long id, long routeId, String village, String stopName,
                          LocalTime arrivalTime, int minutesParked, int sequence) {}

    public record StopForm(String stopName, LocalTime arrivalTime, int minutesParked) {}
}
