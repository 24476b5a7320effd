package com.streetfood.markets.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Numbers for the trader dashboard of a street-food market: how busy each pitch
 * row was, occupancy by weekday, and the pitch league table shown to everyone
 * trading at that market.
 */
@Service
public class MarketPitchDashboardService {

    private static final Duration OVERVIEW_TTL = Duration.ofMinutes(10);
    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;

    public MarketPitchDashboardService(JdbcTemplate jdbc, StringRedisTemplate redis, ObjectMapper json) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.json = json;
    }

    /** Occupancy and footfall per pitch row over the last 8 weeks. Same for every trader at the market. */
    public List<Map<String, Object>> overview(long marketId, long traderId) throws JsonProcessingException {
        String key = "dash:overview:" + marketId + ":" + traderId;

        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return json.readValue(cached, ROWS);
        }

        List<Map<String, Object>> rows = jdbc.queryForList(
            "SELECT p.row_label, extract(isodow FROM d.trading_day) AS weekday, " +
            "       count(DISTINCT d.id) AS trading_days, " +
            "       avg(CASE WHEN a.id IS NOT NULL THEN 1.0 ELSE 0.0 END) AS occupancy, " +
            "       sum(f.visitors) AS footfall " +
            "FROM pitches p " +
            "JOIN trading_days d ON d.market_id = p.market_id " +
            "LEFT JOIN pitch_allocations a ON a.pitch_id = p.id AND a.trading_day_id = d.id " +
            "LEFT JOIN footfall_counts f ON f.pitch_row = p.row_label AND f.trading_day_id = d.id " +
            "WHERE p.market_id = ? AND d.trading_day >= current_date - interval '8 weeks' " +
            "GROUP BY p.row_label, weekday ORDER BY p.row_label, weekday",
            marketId);

        redis.opsForValue().set(key, json.writeValueAsString(rows), OVERVIEW_TTL);
        return rows;
    }

    /**
     * League table of pitches by takings over the last twelve months (till_transactions
     * holds every card and cash sale). Rendered at the top of the dashboard on each visit.
     */
    public List<Map<String, Object>> pitchLeague(long marketId) {
        return jdbc.queryForList("WITH monthly AS ( " +
            "  SELECT t.pitch_id, date_trunc('month', t.sold_at) AS month, sum(t.amount_pence) AS takings " +
            "  FROM till_transactions t JOIN pitches p ON p.id = t.pitch_id " +
            "  WHERE p.market_id = ? AND t.sold_at >= now() - interval '12 months' " +
            "  GROUP BY t.pitch_id, date_trunc('month', t.sold_at)), " +
            "ranked AS ( " +
            "  SELECT pitch_id, month, takings, " +
            "         rank() OVER (PARTITION BY month ORDER BY takings DESC) AS pos " +
            "  FROM monthly) " +
            "SELECT r.pitch_id, p.pitch_no, v.trading_name, sum(r.takings) AS year_takings, " +
            "       min(r.pos) AS best_rank, " +
            "       max(r.pos) FILTER (WHERE r.month = date_trunc('month', now())) AS current_rank " +
            "FROM ranked r JOIN pitches p ON p.id = r.pitch_id " +
            "LEFT JOIN vendors v ON v.id = p.current_vendor_id " +
            "GROUP BY r.pitch_id, p.pitch_no, v.trading_name " +
            "ORDER BY year_takings DESC LIMIT 50",
            marketId);
    }
}
