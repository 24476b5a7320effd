package org.galleria.tours.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.galleria.tours.tenancy.MuseumContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Guided-tour slots for the visitor app. Every museum on the platform is a tenant;
 * MuseumContext resolves the museum from the sub-domain (louvre-lite.galleria.app, ...).
 */
@RestController
@RequestMapping("/api/tours")
public class TourSlotController {

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final RestTemplate audioGuideApi = new RestTemplate();

    @Value("${audioguide.base-url}")
    private String audioGuideBaseUrl;

    public TourSlotController(JdbcTemplate jdbc, StringRedisTemplate redis, ObjectMapper json) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.json = json;
    }

    public record Slot(long id, long tourId, String startsAt, int capacity, int booked, String language) {}

    /** Day view: all guided-tour slots for a date, shown to every visitor browsing the museum. */
    @GetMapping("/slots")
    public List<Slot> slotsForDay(@AuthenticationPrincipal VisitorPrincipal visitor,
                                  @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date)
            throws Exception {
        long museumId = MuseumContext.currentMuseumId();
        String cacheKey = "tour-slots:" + museumId + ":" + visitor.id() + ":" + date;

        String cached = redis.opsForValue().get(cacheKey);
        if (cached != null) {
            return json.readValue(cached, new TypeReference<>() {});
        }

        List<Slot> slots = jdbc.query(
                "SELECT id, tour_id, starts_at, capacity, booked, language FROM tour_slots "
                        + "WHERE museum_id = ? AND starts_at::date = ? ORDER BY starts_at",
                (rs, i) -> new Slot(rs.getLong("id"), rs.getLong("tour_id"),
                        rs.getTimestamp("starts_at").toInstant().toString(),
                        rs.getInt("capacity"), rs.getInt("booked"), rs.getString("language")),
                museumId, date);

        redis.opsForValue().set(cacheKey, json.writeValueAsString(slots), Duration.ofMinutes(2));
        return slots;
    }

    /** Tour detail page: description, guide and the audio-guide languages on offer. */
    @GetMapping("/{tourId}")
    public Map<String, Object> tourDetail(@PathVariable long tourId) {
        Map<String, Object> tour = jdbc.queryForMap("SELECT t.id, t.title, t.description, t.duration_minutes, g.display_name AS guide FROM tours t LEFT JOIN guides g ON g.id = t.guide_id WHERE t.id = ?",
                tourId);

        @SuppressWarnings("unchecked")
        List<String> languages = audioGuideApi.getForObject(
                audioGuideBaseUrl + "/v1/tours/{id}/languages", List.class, tourId);

        tour.put("audioGuideLanguages", languages);
        return tour;
    }
}
