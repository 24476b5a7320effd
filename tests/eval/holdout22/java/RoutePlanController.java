package uk.co.mrwhippy.routes.api;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

import uk.co.mrwhippy.routes.plan.RouteOptimizer;
import uk.co.mrwhippy.routes.plan.RoutePlan;
import uk.co.mrwhippy.routes.plan.Stop;

/**
 * Ice-cream van routes. The depot manager presses "Plan tomorrow" in the back office and gets
 * one optimised route per van, built from the stops customers voted for in the app.
 */
@RestController
@RequestMapping("/api/depots/{depotId}/route-plans")
public class RoutePlanController {

    private static final String STOPS_FOR_VAN = """
            SELECT s.id, s.lat, s.lon, s.votes, s.window_start, s.window_end
            FROM stops s JOIN van_zones z ON z.zone_id = s.zone_id
            WHERE z.van_id = ? AND s.service_day = ?
            """;

    private final RouteOptimizer optimizer;
    private final RoutePlanRepository plans;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;

    public RoutePlanController(RouteOptimizer optimizer,
                               RoutePlanRepository plans,
                               @Value("${routes.db.url}") String jdbcUrl,
                               @Value("${routes.db.user}") String dbUser,
                               @Value("${routes.db.password}") String dbPassword) {
        this.optimizer = optimizer;
        this.plans = plans;
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    @PostMapping
    public ResponseEntity<List<RoutePlan>> planTomorrow(@PathVariable long depotId) throws SQLException {
        LocalDate day = LocalDate.now().plusDays(1);
        List<RoutePlan> result = new ArrayList<>();

        try (Connection conn = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
            List<Long> vanIds = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT id FROM vans WHERE depot_id = ? AND in_service ORDER BY id")) {
                ps.setLong(1, depotId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) vanIds.add(rs.getLong(1));
                }
            }

            for (Long vanId : vanIds) {
                List<Stop> stops = new ArrayList<>();
                try (PreparedStatement ps = conn.prepareStatement(STOPS_FOR_VAN)) {
                    ps.setLong(1, vanId);
                    ps.setObject(2, day);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            stops.add(new Stop(rs.getLong("id"), rs.getDouble("lat"), rs.getDouble("lon"),
                                    rs.getInt("votes"), rs.getObject("window_start", java.time.LocalTime.class),
                                    rs.getObject("window_end", java.time.LocalTime.class)));
                        }
                    }
                }

                // 2-opt with time windows, seeded from the road-distance matrix for the zone.
                // A van with 150+ stops takes a good while to converge.
                RoutePlan plan = optimizer.improveUntilStable(vanId, day, stops, 50_000);
                plans.save(depotId, plan);
                result.add(plan);
            }
        }
        return ResponseEntity.ok(result);
    }

    @GetMapping("/{day}")
    public List<RoutePlan> forDay(@PathVariable long depotId, @PathVariable LocalDate day) {
        return plans.findByDepotAndDay(depotId, day);
    }
}
