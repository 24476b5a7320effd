package com.example.reports;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ReportController {

    private final JdbcTemplate jdbc;

    public ReportController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/reports/top-customers")
    public List<Map<String, Object>> topCustomers(@RequestParam(defaultValue = "20") int limit) {
        return jdbc.queryForList("""
                SELECT c.id, c.name, COUNT(o.id) AS orders, SUM(o.total_cents) AS revenue
                FROM customers c
                LEFT JOIN orders o ON o.customer_id = c.id
                GROUP BY c.id, c.name
                ORDER BY revenue DESC NULLS LAST
                LIMIT ?
                """, Math.min(limit, 100));
    }

    @GetMapping("/reports/daily")
    public List<Map<String, Object>> daily() {
        return jdbc.queryForList("SELECT day, orders, revenue_cents FROM daily_rollup ORDER BY day DESC LIMIT 90");
    }
}
