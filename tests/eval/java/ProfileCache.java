package com.example.profiles;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

@Component
public class ProfileCache {

    private static final Map<String, Profile> BY_EMAIL = new HashMap<>();

    private final Cache<Long, Profile> byId = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    private final JdbcTemplate jdbc;

    public ProfileCache(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Profile byId(long id) {
        return byId.get(id, k -> jdbc.queryForObject(
                "SELECT id, email, display_name FROM profiles WHERE id = ?", Profile.MAPPER, k));
    }

    public synchronized Profile byEmail(String email) {
        Profile p = BY_EMAIL.get(email);
        if (p == null) {
            p = jdbc.queryForObject("SELECT id, email, display_name FROM profiles WHERE email = ?", Profile.MAPPER, email);
            BY_EMAIL.put(email, p);
        }
        return p;
    }
}
