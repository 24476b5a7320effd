package festival.camping.service;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import festival.camping.model.FieldOccupancy;
import festival.camping.model.PitchZone;

/**
 * Camping pitches at the folk festival: the public site map (zones, pitch sizes,
 * quiet field, family field, hook-ups) and the live occupancy board shown on
 * the gate tablets and the "where can I pitch?" page during arrival day.
 *
 * Backed by Redis (shared by all festival-api pods) and Postgres.
 */
@Service
public class PitchAvailabilityService {

    private static final String OCCUPANCY_KEY = "camping:occupancy:v2";
    private static final Duration OCCUPANCY_TTL = Duration.ofSeconds(20);
    private static final Duration MAP_TTL = Duration.ofHours(6);

    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public PitchAvailabilityService(StringRedisTemplate redis, JdbcTemplate jdbc, ObjectMapper json) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Zones and their facilities; only the site team edits this, a few times a year. */
    public List<PitchZone> siteMap(String ticketHolderId) throws JsonProcessingException {
        String key = "camping:sitemap:" + ticketHolderId;
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return json.readValue(cached, new TypeReference<List<PitchZone>>() {});
        }
        List<PitchZone> zones = jdbc.query(
                "SELECT code, name, field, pitch_size_m, has_hookup, quiet_after FROM pitch_zones "
                        + "WHERE festival_year = extract(year FROM now()) ORDER BY field, code LIMIT 200",
                (rs, i) -> new PitchZone(rs.getString("code"), rs.getString("name"), rs.getString("field"),
                        rs.getInt("pitch_size_m"), rs.getBoolean("has_hookup"), rs.getString("quiet_after")));
        redis.opsForValue().set(key, json.writeValueAsString(zones), MAP_TTL);
        return zones;
    }

    /**
     * Live occupancy per field. Gate tablets poll this every few seconds and the
     * public page refreshes it, so it is cached briefly.
     */
    public List<FieldOccupancy> occupancy() throws JsonProcessingException {
        String cached = redis.opsForValue().get(OCCUPANCY_KEY);
        if (cached != null) {
            return json.readValue(cached, new TypeReference<List<FieldOccupancy>>() {});
        }

        // Pitched units per field, weighted by footprint (campervans count as 3 tents).
        List<FieldOccupancy> fields = jdbc.query("""
                SELECT z.field,
                       SUM(z.capacity_units)                                              AS capacity,
                       COALESCE(SUM(CASE a.unit_type WHEN 'CAMPERVAN' THEN 3
                                                     WHEN 'CARAVAN'   THEN 3
                                                     WHEN 'BELL_TENT' THEN 2
                                                     ELSE 1 END), 0)                      AS used,
                       COUNT(DISTINCT a.wristband_id)                                     AS campers
                  FROM pitch_zones z
                  LEFT JOIN pitch_allocations a
                         ON a.zone_code = z.code AND a.checked_out_at IS NULL
                 WHERE z.festival_year = extract(year FROM now())
                 GROUP BY z.field
                 ORDER BY z.field
                """,
                (rs, i) -> new FieldOccupancy(rs.getString("field"), rs.getInt("capacity"),
                        rs.getInt("used"), rs.getInt("campers")));

        redis.opsForValue().set(OCCUPANCY_KEY, json.writeValueAsString(fields), OCCUPANCY_TTL);
        return fields;
    }

    /** Stewards hold a pitch for a van still queueing at the gate; the hold lapses after 20 minutes. */
    public void holdPitch(String zoneCode, String wristbandId, String stewardId) {
        jdbc.update("INSERT INTO pitch_holds (zone_code, wristband_id, held_by, expires_at) "
                        + "VALUES (?, ?, ?, now() + interval '20 minutes')",
                zoneCode, wristbandId, stewardId);
    }

    public int activeHolds(String zoneCode) {
        Integer n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM pitch_holds WHERE zone_code = ? AND expires_at > now()",
                Integer.class, zoneCode);
        return n == null ? 0 : n;
    }
}
