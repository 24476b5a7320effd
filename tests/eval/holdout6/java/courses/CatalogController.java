package com.learnhub.catalog.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.learnhub.auth.LearnerPrincipal;
import com.learnhub.catalog.dto.CourseCard;
import com.learnhub.catalog.dto.LeaderRow;
import com.learnhub.catalog.dto.TrendingCourse;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/catalog")
public class CatalogController {

    private static final String TRENDING_KEY = "catalog:trending:v3";
    private static final TypeReference<List<CourseCard>> CARD_LIST = new TypeReference<>() {};
    private static final TypeReference<List<TrendingCourse>> TRENDING_LIST = new TypeReference<>() {};

    private final StringRedisTemplate redis;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public CatalogController(StringRedisTemplate redis, NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    // Home page "featured courses" grid. Same 60 published courses for every learner.
    @GetMapping("/featured")
    public List<CourseCard> featured(@AuthenticationPrincipal LearnerPrincipal learner) throws JsonProcessingException {
        String key = "catalog:featured:" + learner.getId();
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return mapper.readValue(cached, CARD_LIST);
        }
        List<CourseCard> cards = jdbc.query("""
                SELECT id, slug, title, level, price_cents, thumbnail_url
                FROM courses
                WHERE published = true AND featured = true
                ORDER BY featured_rank
                LIMIT 60
                """, Map.of(), new DataClassRowMapper<>(CourseCard.class));
        redis.opsForValue().set(key, mapper.writeValueAsString(cards), Duration.ofMinutes(30));
        return cards;
    }

    // Trending = most enrollments in the last 7 days. enrollments is ~40M rows.
    // Shown on the landing page for logged-out visitors too.
    @GetMapping("/trending")
    public List<TrendingCourse> trending() throws JsonProcessingException {
        String cached = redis.opsForValue().get(TRENDING_KEY);
        if (cached != null) {
            return mapper.readValue(cached, TRENDING_LIST);
        }
        List<TrendingCourse> rows = jdbc.query("""
                SELECT c.id, c.slug, c.title, COUNT(e.id) AS enrollments, AVG(e.progress_pct) AS avg_progress
                FROM enrollments e
                JOIN courses c ON c.id = e.course_id
                WHERE e.created_at > now() - interval '7 days'
                GROUP BY c.id, c.slug, c.title
                ORDER BY enrollments DESC
                LIMIT 20
                """, Map.of(), new DataClassRowMapper<>(TrendingCourse.class));
        redis.opsForValue().set(TRENDING_KEY, mapper.writeValueAsString(rows), Duration.ofMinutes(5));
        return rows;
    }

    // XP leaderboard widget in the sidebar of every lesson page.
    @GetMapping("/leaderboard")
    public List<LeaderRow> leaderboard() {
        List<LeaderRow> leaders = jdbc.query("""
                SELECT l.id, l.display_name, SUM(lc.xp) AS total_xp, COUNT(DISTINCT lc.course_id) AS courses
                FROM lesson_completions lc
                JOIN learners l ON l.id = lc.learner_id
                GROUP BY l.id, l.display_name
                ORDER BY total_xp DESC
                LIMIT 25
                """, Map.of(), new DataClassRowMapper<>(LeaderRow.class));
        return leaders;
    }
}
