package com.cruxgyms.setting.api;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Route setting for climbing walls. Each gym (tenant) sets and strips its own routes;
 * climbers log ticks, which feed the "popular this week" board.
 */
@RestController
@RequestMapping("/api/walls/routes")
public class WallRouteController {

    private static final RowMapper<RouteDto> MAPPER = (rs, i) -> new RouteDto(
            rs.getLong("id"), rs.getString("wall"), rs.getString("grade"), rs.getString("hold_colour"),
            rs.getObject("set_on", LocalDate.class), rs.getInt("tick_count"));

    private final JdbcTemplate jdbc;

    public WallRouteController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping
    public List<RouteDto> current(@AuthenticationPrincipal GymUser user,
                                  @RequestParam(required = false) Long afterId) {
        // Keyset pagination; the app loads the next page as the climber scrolls.
        return jdbc.query("""
                SELECT id, wall, grade, hold_colour, set_on, tick_count
                FROM routes
                WHERE gym_id = ? AND stripped_on IS NULL AND id > ?
                ORDER BY id
                LIMIT 100
                """, MAPPER, user.gymId(), afterId == null ? 0L : afterId);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public RouteDto set(@AuthenticationPrincipal GymUser user, @Valid @RequestBody NewRoute body) {
        if (!user.isSetter()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        return jdbc.queryForObject("""
                INSERT INTO routes (gym_id, wall, grade, hold_colour, setter_id, set_on, tick_count)
                VALUES (?, ?, ?, ?, ?, current_date, 0)
                RETURNING id, wall, grade, hold_colour, set_on, tick_count
                """, MAPPER, user.gymId(), body.wall(), body.grade(), body.holdColour(), user.id());
    }

    /** A climber ticks a route; one tick per climber per route per day. */
    @PostMapping("/{routeId}/ticks")
    @Transactional
    public void tick(@AuthenticationPrincipal GymUser user, @PathVariable long routeId) {
        int inserted = jdbc.update("""
                INSERT INTO route_ticks (gym_id, route_id, climber_id, ticked_on)
                SELECT gym_id, id, ?, current_date FROM routes
                WHERE id = ? AND gym_id = ? AND stripped_on IS NULL
                ON CONFLICT (route_id, climber_id, ticked_on) DO NOTHING
                """, user.id(), routeId, user.gymId());
        if (inserted == 1) {
            jdbc.update("UPDATE routes SET tick_count = tick_count + 1 WHERE id = ? AND gym_id = ?",
                    routeId, user.gymId());
        }
    }

    @PostMapping("/{routeId}/strip")
    public void strip(@AuthenticationPrincipal GymUser user, @PathVariable long routeId) {
        int updated = jdbc.update(
                "UPDATE routes SET stripped_on = current_date WHERE id = ? AND gym_id = ? AND stripped_on IS NULL",
                routeId, user.gymId());
        if (updated == 0) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "route not found or already stripped");
        }
    }

    public record NewRoute(String wall, String grade, String holdColour) {}
    public record RouteDto(long id, String wall, String grade, String holdColour, LocalDate setOn, int tickCount) {}
}
