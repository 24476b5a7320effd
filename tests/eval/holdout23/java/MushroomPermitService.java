package gov.parks.foraging.permits;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Seasonal mushroom-foraging permits for the park district.
 *
 * The permit wizard shows the open foraging zones (chanterelle beds, morel burn
 * areas ...) and then holds a permit for the forager while they pay. Holds last
 * 20 minutes; the payment callback turns a hold into an issued permit.
 */
@Service
public class MushroomPermitService {

    private static final Duration HOLD_DURATION = Duration.ofMinutes(20);

    // Zone lists change a couple of times per season, so keep them in memory.
    private static final Map<String, List<ForagingZone>> zoneCache = new HashMap<>();

    private final JdbcTemplate jdbc;

    public MushroomPermitService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<ForagingZone> openZones(long foragerId, int season) {
        String cacheKey = "zones:" + foragerId + ":" + season;
        List<ForagingZone> zones = zoneCache.get(cacheKey);
        if (zones == null) {
            zones = jdbc.query(
                    "SELECT id, name, species, daily_limit_kg FROM foraging_zones "
                            + "WHERE season = ? AND is_open ORDER BY name LIMIT 200",
                    (rs, i) -> new ForagingZone(rs.getLong("id"), rs.getString("name"),
                            rs.getString("species"), rs.getBigDecimal("daily_limit_kg")),
                    season);
            zoneCache.put(cacheKey, zones);
        }
        return zones;
    }

    @Transactional
    public PermitHold holdPermit(long foragerId, long zoneId, String permitType) {
        UUID holdId = UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(HOLD_DURATION);
        jdbc.update("INSERT INTO permit_holds (id, forager_id, zone_id, permit_type, expires_at) VALUES (?, ?, ?, ?, ?)",
                holdId, foragerId, zoneId, permitType, Timestamp.from(expiresAt));
        return new PermitHold(holdId, zoneId, permitType, expiresAt);
    }

    /** Called from the payment callback once the fee has cleared. */
    @Transactional
    public long issueFromHold(UUID holdId, String paymentRef) {
        Map<String, Object> hold = jdbc.queryForMap(
                "SELECT forager_id, zone_id, permit_type FROM permit_holds "
                        + "WHERE id = ? AND expires_at > now() AND issued_permit_id IS NULL FOR UPDATE",
                holdId);
        Long permitId = jdbc.queryForObject(
                "INSERT INTO permits (forager_id, zone_id, permit_type, payment_ref, issued_at) "
                        + "VALUES (?, ?, ?, ?, now()) ON CONFLICT (payment_ref) DO NOTHING RETURNING id",
                Long.class, hold.get("forager_id"), hold.get("zone_id"), hold.get("permit_type"), paymentRef);
        jdbc.update("UPDATE permit_holds SET issued_permit_id = ? WHERE id = ?", permitId, holdId);
        return permitId;
    }

    /** Active holds shown on the forager's dashboard. */
    public List<PermitHold> activeHolds(long foragerId) {
        return jdbc.query(
                "SELECT id, zone_id, permit_type, expires_at FROM permit_holds "
                        + "WHERE forager_id = ? AND expires_at > now() AND issued_permit_id IS NULL "
                        + "ORDER BY expires_at LIMIT 20",
                (rs, i) -> new PermitHold(rs.getObject("id", UUID.class), rs.getLong("zone_id"),
                        rs.getString("permit_type"), rs.getTimestamp("expires_at").toInstant()),
                foragerId);
    }

    public record ForagingZone(long id, String name, String species, java.math.BigDecimal dailyLimitKg) {}

    public record PermitHold(UUID id, long zoneId, String permitType, Instant expiresAt) {}
}
