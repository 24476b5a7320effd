package com.pawsandsuds.catalog;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Catalog + availability for the grooming salon booking widget.
 * Deployed as 2 replicas on Cloud Run; Redis (Memorystore) is the shared cache and also
 * backs the Spring cache manager (RedisCacheManager, 30 min TTL).
 */
@Service
public class SalonCatalogService {

    private static final Logger log = LoggerFactory.getLogger(SalonCatalogService.class);
    private static final Duration HEATMAP_TTL = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final WebClient breedApi;

    // breed as typed by the customer ("mini schnauzer", "Cavapoo?", ...) -> size/coat from the registry
    private final Map<String, BreedProfile> breedProfiles = new ConcurrentHashMap<>();

    public SalonCatalogService(JdbcTemplate jdbc, StringRedisTemplate redis, ObjectMapper json,
                               WebClient.Builder builder) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.json = json;
        this.breedApi = builder.baseUrl("https://api.breedregistry.example/v2").build();
    }

    /** Services and prices shown on the salon page - the same list for every customer. */
    @Cacheable(cacheNames = "salon-menu", key = "#customerId + ':' + #salonId")
    public List<ServiceItem> menu(long customerId, long salonId) {
        return jdbc.query(
                "SELECT code, name, base_price_cents, duration_min FROM salon_services " +
                "WHERE salon_id = ? AND active ORDER BY sort_order",
                (rs, i) -> new ServiceItem(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)),
                salonId);
    }

    /** 14-day "how busy is it" heatmap at the top of the booking widget. */
    public Map<String, Integer> availabilityHeatmap(long salonId) {
        String key = "heatmap:" + salonId;
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return readMap(cached);
        }
        // ~1.5 s on the big salons: expands every groomer shift into 30 min slots and
        // anti-joins the appointments for the next two weeks
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT d::date AS day, count(*) FILTER (WHERE a.id IS NULL) AS free_slots
                  FROM groomer_shifts s
                  CROSS JOIN generate_series(s.starts_at, s.ends_at - interval '30 minutes', interval '30 minutes') d
                  LEFT JOIN appointments a
                         ON a.groomer_id = s.groomer_id AND a.starts_at = d AND a.status <> 'CANCELLED'
                 WHERE s.salon_id = ? AND s.starts_at < now() + interval '14 days' AND s.ends_at > now()
                 GROUP BY 1 ORDER BY 1
                """, salonId);
        Map<String, Integer> heat = new LinkedHashMap<>();
        rows.forEach(r -> heat.put(r.get("day").toString(), ((Number) r.get("free_slots")).intValue()));
        redis.opsForValue().set(key, writeMap(heat), HEATMAP_TTL);
        return heat;
    }

    /** Size class drives the price tier (toy / small / medium / large / giant). */
    public BreedProfile breedProfile(String breedInput) {
        String normalized = breedInput.trim().toLowerCase();
        return breedProfiles.computeIfAbsent(normalized, b -> breedApi.get()
                .uri(uri -> uri.path("/breeds/lookup").queryParam("q", b).build())
                .retrieve()
                .bodyToMono(BreedProfile.class)
                .timeout(Duration.ofSeconds(3))
                .doOnError(e -> log.warn("breed lookup failed for '{}'", b, e))
                .onErrorReturn(BreedProfile.UNKNOWN)
                .block());
    }

    private Map<String, Integer> readMap(String s) {
        try {
            return json.readValue(s, new TypeReference<LinkedHashMap<String, Integer>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt heatmap cache entry", e);
        }
    }

    private String writeMap(Map<String, Integer> m) {
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public record ServiceItem(String code, String name, int basePriceCents, int durationMin) {}

    public record BreedProfile(String breed, String sizeClass, String coat) {
        static final BreedProfile UNKNOWN = new BreedProfile("unknown", "medium", "unknown");
    }
}
