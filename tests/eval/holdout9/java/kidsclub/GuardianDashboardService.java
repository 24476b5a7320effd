package org.juniorleague.clubs.dashboard;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestTemplate;

@Configuration
class DashboardConfig {

    @Bean
    CacheManager cacheManager() {
        CaffeineCacheManager mgr = new CaffeineCacheManager("guardianSchedule");
        mgr.setCaffeine(Caffeine.newBuilder().maximumSize(20_000).expireAfterWrite(Duration.ofMinutes(2)));
        return mgr;
    }

    @Bean
    RestTemplate weatherRestTemplate(RestTemplateBuilder builder) {
        return builder
                .rootUri("https://api.open-meteo.com")
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(4))
                .build();
    }
}

/** Parent-facing dashboard: "what are my kids doing this week". */
@Service
public class GuardianDashboardService {

    private final NamedParameterJdbcTemplate jdbc;
    private final RestTemplate weather;

    // birth-year -> age group ("U8", "U10", ...); loaded once, read-only afterwards
    private Map<Integer, String> ageGroupsByBirthYear = Map.of();

    public GuardianDashboardService(NamedParameterJdbcTemplate jdbc, RestTemplate weatherRestTemplate) {
        this.jdbc = jdbc;
        this.weather = weatherRestTemplate;
    }

    @PostConstruct
    void loadAgeGroups() {
        Map<Integer, String> m = new HashMap<>();
        jdbc.query("SELECT birth_year, label FROM age_group_rules", rs -> {
            m.put(rs.getInt("birth_year"), rs.getString("label"));
        });
        ageGroupsByBirthYear = Collections.unmodifiableMap(m);
    }

    // schedule is specific to this guardian's children, so the key is the guardian
    @Cacheable(cacheNames = "guardianSchedule", key = "#clubId + ':' + #guardianId")
    public List<SessionView> weekSchedule(long clubId, long guardianId, LocalDate weekStart) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("clubId", clubId)
                .addValue("guardianId", guardianId)
                .addValue("from", weekStart)
                .addValue("to", weekStart.plusDays(7));

        List<Long> teamIds = jdbc.queryForList(
                "SELECT DISTINCT tm.team_id FROM team_members tm JOIN children c ON c.id = tm.child_id " +
                "WHERE c.guardian_id = :guardianId AND c.club_id = :clubId", p, Long.class);
        if (teamIds.isEmpty()) {
            return List.of();
        }
        p.addValue("teamIds", teamIds);
        return jdbc.query(
                "SELECT s.id, s.team_id, s.starts_at, s.venue_id, t.name AS team_name FROM sessions s " +
                "JOIN teams t ON t.id = s.team_id " +
                "WHERE s.club_id = :clubId AND s.team_id IN (:teamIds) AND s.starts_at >= :from AND s.starts_at < :to " +
                "ORDER BY s.starts_at",
                p, new DataClassRowMapper<>(SessionView.class));
    }

    // venues are shared council pitches, no club_id column on this table
    public Venue venue(long venueId) {
        return jdbc.queryForObject("SELECT id, name, lat, lon FROM venues WHERE id = :id",
                new MapSqlParameterSource("id", venueId), new DataClassRowMapper<>(Venue.class));
    }

    public String ageGroupFor(int birthYear) {
        return ageGroupsByBirthYear.getOrDefault(birthYear, "Open");
    }

    public Forecast forecast(Venue v) {
        return weather.getForObject("/v1/forecast?latitude={lat}&longitude={lon}&daily=precipitation_sum",
                Forecast.class, v.lat(), v.lon());
    }

    public record SessionView(long id, long teamId, java.time.OffsetDateTime startsAt, long venueId, String teamName) {}
    public record Venue(long id, String name, double lat, double lon) {}
    public record Forecast(Map<String, Object> daily) {}
}
