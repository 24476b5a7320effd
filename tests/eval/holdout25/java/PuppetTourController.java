package com.marionette.touring.web;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Touring dates for the puppet theatre company, plus the "season at a glance"
 * panel on the public website (audience totals per venue and per production).
 */
@RestController
@RequestMapping("/api/tour")
public class PuppetTourController {

    private static final String SEASON_KEY = "tour:season-summary:v2";
    private static final Duration SEASON_TTL = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;

    public PuppetTourController(JdbcTemplate jdbc, StringRedisTemplate redis, ObjectMapper json) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.json = json;
    }

    public record TourDate(long id, String production, String venue, String town,
                           LocalDate performanceDate, int seatsSold) {}

    @GetMapping("/dates")
    public List<TourDate> allDates() {
        return jdbc.query("SELECT d.id, p.title, v.name, v.town, d.performance_date, d.seats_sold "
                        + "FROM tour_dates d "
                        + "JOIN productions p ON p.id = d.production_id "
                        + "JOIN venues v ON v.id = d.venue_id "
                        + "ORDER BY d.performance_date DESC",
                (rs, i) -> new TourDate(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getDate(5).toLocalDate(), rs.getInt(6)));
    }

    @GetMapping("/season-summary")
    public List<Map<String, Object>> seasonSummary() throws JsonProcessingException {
        String cached = redis.opsForValue().get(SEASON_KEY);
        if (cached != null) {
            return json.readValue(cached, new TypeReference<>() {});
        }

        // Aggregates every ticket line for the current and previous two seasons.
        List<Map<String, Object>> summary = jdbc.queryForList(
                "SELECT v.name AS venue, p.title AS production, "
                        + "       COUNT(DISTINCT d.id) AS performances, "
                        + "       SUM(t.quantity) AS tickets, "
                        + "       ROUND(AVG(t.quantity * t.unit_price), 2) AS avg_order "
                        + "FROM ticket_lines t "
                        + "JOIN tour_dates d ON d.id = t.tour_date_id "
                        + "JOIN venues v ON v.id = d.venue_id "
                        + "JOIN productions p ON p.id = d.production_id "
                        + "WHERE d.performance_date >= date_trunc('year', now()) - interval '2 years' "
                        + "GROUP BY v.name, p.title "
                        + "ORDER BY tickets DESC");

        redis.opsForValue().set(SEASON_KEY, json.writeValueAsString(summary), SEASON_TTL);
        return summary;
    }
}
