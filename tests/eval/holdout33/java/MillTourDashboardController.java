package org.fulbrookmill.tours.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Trustees' dashboard for the guided tours of Fulbrook watermill.
 * Shown on the screen in the visitor centre office and opened by the volunteer
 * guides from their phones before each shift.
 */
@RestController
@RequestMapping("/admin/dashboard")
public class MillTourDashboardController {

    private static final String SUMMARY_KEY = "mill:dashboard:summary";
    private static final Duration SUMMARY_TTL = Duration.ofMinutes(2);

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;

    public MillTourDashboardController(JdbcTemplate jdbc, StringRedisTemplate redis, ObjectMapper json) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.json = json;
    }

    @GetMapping("/summary")
    public Map<String, Object> summary() throws Exception {
        String cached = redis.opsForValue().get(SUMMARY_KEY);
        if (cached != null) {
            return json.readValue(cached, new TypeReference<Map<String, Object>>() {});
        }

        // season totals: visitors, donations, flour sold in the mill shop, by month
        List<Map<String, Object>> months = jdbc.queryForList(
            "SELECT date_trunc('month', t.starts_at) AS month, count(DISTINCT v.id) AS visitors, " +
            "       sum(v.gift_aid_donation) AS donations, sum(s.bags_sold) AS flour_bags " +
            "FROM tours t JOIN tour_visitors v ON v.tour_id = t.id " +
            "LEFT JOIN shop_sales s ON s.tour_id = t.id " +
            "GROUP BY 1 ORDER BY 1");
        Map<String, Object> summary = Map.of("months", months);

        redis.opsForValue().set(SUMMARY_KEY, json.writeValueAsString(summary), SUMMARY_TTL);
        return summary;
    }

    @GetMapping("/guides")
    public List<Map<String, Object>> guideLeague() {
        return jdbc.queryForList(
            "SELECT g.display_name, count(DISTINCT t.id) AS tours_led, avg(f.stars) AS avg_stars, percentile_cont(0.5) WITHIN GROUP (ORDER BY t.group_size) AS median_group, sum(v.gift_aid_donation) AS donations_raised FROM guides g JOIN tours t ON t.guide_id = g.id JOIN tour_visitors v ON v.tour_id = t.id LEFT JOIN tour_feedback f ON f.tour_id = t.id GROUP BY g.display_name ORDER BY tours_led DESC");
    }

    /** Visitor list for the office screen (the trustees scroll back to check gift aid forms). */
    @GetMapping("/visitors")
    public List<Map<String, Object>> visitors() {
        return jdbc.queryForList(
            "SELECT v.visited_on, t.title AS tour, v.full_name, v.postcode, v.gift_aid_donation FROM tour_visitors v JOIN tours t ON t.id = v.tour_id ORDER BY v.visited_on DESC");
    }
}
