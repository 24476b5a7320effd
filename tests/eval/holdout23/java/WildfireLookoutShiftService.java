package org.forestwatch.lookouts;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

/**
 * Volunteer shifts for the district's fire lookout towers.
 * A volunteer picking a shift gets a 10-minute hold while they confirm
 * their radio certification; unconfirmed holds are purged every few minutes.
 */
@Service
public class WildfireLookoutShiftService {

    private static final Logger log = LoggerFactory.getLogger(WildfireLookoutShiftService.class);
    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_DELAY_MS = 250;
    private static final long MAX_DELAY_MS = 4_000;

    private final JdbcTemplate jdbc;
    private final RestTemplate fireWeather;

    // Tower roster per district: same for every volunteer, bounded and refreshed.
    private final LoadingCache<String, List<Tower>> towersByDistrict;

    public WildfireLookoutShiftService(JdbcTemplate jdbc, RestTemplateBuilder builder) {
        this.jdbc = jdbc;
        this.fireWeather = builder
                .rootUri("https://fireweather.internal/api")
                .setConnectTimeout(Duration.ofSeconds(3))
                .setReadTimeout(Duration.ofSeconds(5))
                .build();
        this.towersByDistrict = Caffeine.newBuilder()
                .maximumSize(500)
                .expireAfterWrite(Duration.ofMinutes(10))
                .build(this::loadTowers);
    }

    public List<Tower> towers(String district) {
        // Caffeine runs loadTowers once per key; concurrent callers wait for that load.
        return towersByDistrict.get(district);
    }

    private List<Tower> loadTowers(String district) {
        return jdbc.query(
                "SELECT id, name, elevation_m, radio_channel FROM lookout_towers "
                        + "WHERE district = ? AND active ORDER BY name LIMIT 200",
                (rs, i) -> new Tower(rs.getLong("id"), rs.getString("name"),
                        rs.getInt("elevation_m"), rs.getString("radio_channel")),
                district);
    }

    /** Returns false while another volunteer has a live hold on the shift. */
    public boolean holdShift(long shiftId, long volunteerId) {
        int inserted = jdbc.update(
                "INSERT INTO shift_holds (shift_id, volunteer_id, expires_at) "
                        + "VALUES (?, ?, now() + interval '10 minutes') "
                        + "ON CONFLICT (shift_id) DO UPDATE SET volunteer_id = EXCLUDED.volunteer_id, "
                        + "expires_at = EXCLUDED.expires_at WHERE shift_holds.expires_at < now()",
                shiftId, volunteerId);
        return inserted == 1;
    }

    @Scheduled(fixedDelay = 300_000)
    public void purgeExpiredHolds() {
        int removed = jdbc.update("DELETE FROM shift_holds WHERE expires_at < now()");
        if (removed > 0) {
            log.info("purged {} expired shift holds", removed);
        }
    }

    /** Fire danger rating shown on the shift sign-up page. */
    public FireDanger dangerRating(String district) {
        for (int attempt = 1; ; attempt++) {
            try {
                return fireWeather.getForObject("/danger?district={d}", FireDanger.class, district);
            } catch (ResourceAccessException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    log.error("fire-weather unavailable after {} attempts", attempt, e);
                    throw e;
                }
                long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << (attempt - 1));
                sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));   // full jitter
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", ie);
        }
    }

    public record Tower(long id, String name, int elevationM, String radioChannel) {}

    public record FireDanger(String district, String rating, int index) {}
}
