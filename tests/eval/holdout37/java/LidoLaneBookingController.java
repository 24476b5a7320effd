package org.lidotrust.lanes.web;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;

/**
 * Lane bookings for the open-air lido season (May to September).
 *
 * Runs on 4 pods; the per-member booking throttle is kept in Redis so all pods
 * share one counter. Double bookings are prevented by the unique index
 * lane_bookings_slot_uq (lido_id, lane, session_start).
 */
@RestController
@RequestMapping("/api/lidos/{lidoId}/lanes")
public class LidoLaneBookingController {

    private static final int BOOKINGS_PER_HOUR = 10;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;

    public LidoLaneBookingController(JdbcTemplate jdbc, StringRedisTemplate redis) {
        this.jdbc = jdbc;
        this.redis = redis;
    }

    public record LaneRequest(int lane, LocalDateTime sessionStart) {}

    @PostMapping("/bookings")
    public ResponseEntity<Map<String, Object>> book(@PathVariable long lidoId,
                                                    @AuthenticationPrincipal SwimmerPrincipal swimmer,
                                                    @RequestBody LaneRequest req) {
        String throttleKey = "lido:book-throttle:" + swimmer.memberId();
        Long used = redis.opsForValue().increment(throttleKey);
        if (used != null && used == 1L) {
            redis.expire(throttleKey, Duration.ofHours(1));
        }
        if (used != null && used > BOOKINGS_PER_HOUR) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .body(Map.of("error", "Booking limit reached, try again later"));
        }

        int inserted = jdbc.update(
                "INSERT INTO lane_bookings (lido_id, lane, session_start, member_id, booked_at) " +
                "VALUES (?, ?, ?, ?, now()) ON CONFLICT (lido_id, lane, session_start) DO NOTHING",
                lidoId, req.lane(), req.sessionStart(), swimmer.memberId());
        if (inserted == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "Lane already taken"));
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of("lane", req.lane(), "sessionStart", req.sessionStart().toString()));
    }

    @GetMapping("/bookings/mine")
    public List<Map<String, Object>> myUpcoming(@PathVariable long lidoId,
                                                @AuthenticationPrincipal SwimmerPrincipal swimmer) {
        return jdbc.queryForList(
                "SELECT lane, session_start, booked_at FROM lane_bookings " +
                "WHERE lido_id = ? AND member_id = ? AND session_start >= now() " +
                "ORDER BY session_start LIMIT 50",
                lidoId, swimmer.memberId());
    }

    @DeleteMapping("/bookings")
    public ResponseEntity<Void> cancel(@PathVariable long lidoId,
                                       @AuthenticationPrincipal SwimmerPrincipal swimmer,
                                       @RequestParam int lane,
                                       @RequestParam LocalDateTime sessionStart) {
        int removed = jdbc.update(
                "DELETE FROM lane_bookings WHERE lido_id = ? AND lane = ? AND session_start = ? AND member_id = ?",
                lidoId, lane, sessionStart, swimmer.memberId());
        return removed == 1 ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }
}
