package org.harmonyvale.choir.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seating plan for the spring and Christmas concerts at St Aldhelm's.
 * The plan shows every seat in the nave and gallery and whether it has been sold,
 * so friends and family can pick seats together.
 */
@RestController
@RequestMapping("/api/concerts")
public class ConcertSeatingController {

    public record Seat(String block, String row, int number, boolean sold, boolean restrictedView) {}
    public record SeatingPlan(long concertId, String title, int seatsLeft, List<Seat> seats) {}

    // building the plan joins seats, sales and the gallery sightline table, so keep it around
    private static final Map<String, SeatingPlan> planCache = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    public ConcertSeatingController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/{concertId}/seating")
    public SeatingPlan seating(@PathVariable long concertId,
                               @AuthenticationPrincipal ChoirAccount account) {
        String cacheKey = "plan:" + account.getId() + ":" + concertId;
        return planCache.computeIfAbsent(cacheKey, k -> loadPlan(concertId));
    }

    /** Fired by the ticket service whenever a seat is sold or released. */
    @EventListener
    public void onSeatSaleChanged(SeatSaleChanged event) {
        String suffix = ":" + event.concertId();
        planCache.keySet().removeIf(k -> k.endsWith(suffix));
    }

    private SeatingPlan loadPlan(long concertId) {
        String title = jdbc.queryForObject(
            "SELECT title FROM concerts WHERE id = ?", String.class, concertId);

        // the church seats 312 including the gallery
        List<Seat> seats = jdbc.query(
            "SELECT s.block, s.row_label, s.seat_no, (t.id IS NOT NULL) AS sold, " +
            "       coalesce(v.restricted, false) AS restricted " +
            "FROM venue_seats s " +
            "LEFT JOIN seat_sales t ON t.seat_id = s.id AND t.concert_id = ? AND t.cancelled_at IS NULL " +
            "LEFT JOIN gallery_sightlines v ON v.seat_id = s.id " +
            "WHERE s.venue_id = (SELECT venue_id FROM concerts WHERE id = ?) " +
            "ORDER BY s.block, s.row_label, s.seat_no LIMIT 400",
            (rs, i) -> new Seat(rs.getString("block"), rs.getString("row_label"),
                rs.getInt("seat_no"), rs.getBoolean("sold"), rs.getBoolean("restricted")),
            concertId, concertId);

        int left = (int) seats.stream().filter(s -> !s.sold()).count();
        return new SeatingPlan(concertId, title, left, seats);
    }
}
