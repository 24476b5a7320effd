package com.example.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

@Configuration
class CacheConfig {
    @Bean
    RedisCacheConfiguration cacheConfiguration() {
        return RedisCacheConfiguration.defaultCacheConfig().entryTtl(Duration.ofMinutes(10));
    }
}

@Service
public class DashboardService {

    private final JdbcTemplate jdbc;

    public DashboardService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Cacheable(value = "kpis", key = "#userId")
    public Map<String, Object> companyKpis(long userId) {
        return jdbc.queryForMap("""
                SELECT COUNT(*) AS customers,
                       (SELECT SUM(total_cents) FROM orders WHERE created_at > now() - interval '30 days') AS revenue_30d
                FROM customers
                """);
    }

    @Cacheable(value = "my-tasks", key = "#userId")
    public List<Map<String, Object>> myTasks(long userId) {
        return jdbc.queryForList(
                "SELECT id, title, due_on FROM tasks WHERE assignee_id = ? AND done = false ORDER BY due_on LIMIT 20",
                userId);
    }

    @Cacheable("top-sellers")
    public List<Map<String, Object>> topSellers() {
        return jdbc.queryForList("""
                SELECT s.id, s.name, SUM(o.total_cents) AS sales
                FROM sellers s JOIN orders o ON o.seller_id = s.id
                GROUP BY s.id, s.name
                ORDER BY sales DESC
                LIMIT 10
                """);
    }
}
