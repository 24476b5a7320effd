package club.divelog.data;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Dive logs synced from members' dive computers. One database for all clubs,
 * so every query is scoped by club_id.
 */
@Repository
public class DiveLogRepository {

    private static final int MAX_PAGE_SIZE = 100;

    private final NamedParameterJdbcTemplate jdbc;

    public DiveLogRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record DiveLog(long id, long diverId, long siteId, Instant enteredAt,
                          int maxDepthCm, int bottomTimeSec, Integer waterTempC) {}

    public record DiveSite(long id, String name, double lat, double lon) {}

    private static final RowMapper<DiveLog> LOG_ROW = (rs, i) -> new DiveLog(
        rs.getLong("id"), rs.getLong("diver_id"), rs.getLong("site_id"),
        rs.getTimestamp("entered_at").toInstant(), rs.getInt("max_depth_cm"),
        rs.getInt("bottom_time_sec"), (Integer) rs.getObject("water_temp_c"));

    /** Newest dives first; pass the last entered_at/id of the previous page as the cursor. */
    public List<DiveLog> page(long clubId, Instant beforeTime, long beforeId, int pageSize) {
        MapSqlParameterSource p = new MapSqlParameterSource()
            .addValue("clubId", clubId)
            .addValue("beforeTime", java.sql.Timestamp.from(beforeTime))
            .addValue("beforeId", beforeId)
            .addValue("limit", Math.min(Math.max(pageSize, 1), MAX_PAGE_SIZE));
        return jdbc.query(
            "SELECT id, diver_id, site_id, entered_at, max_depth_cm, bottom_time_sec, water_temp_c " +
            "FROM dive_logs WHERE club_id = :clubId AND (entered_at, id) < (:beforeTime, :beforeId) " +
            "ORDER BY entered_at DESC, id DESC LIMIT :limit",
            p, LOG_ROW);
    }

    public Optional<DiveLog> find(long clubId, long logId) {
        List<DiveLog> rows = jdbc.query(
            "SELECT id, diver_id, site_id, entered_at, max_depth_cm, bottom_time_sec, water_temp_c " +
            "FROM dive_logs WHERE club_id = :clubId AND id = :id",
            Map.of("clubId", clubId, "id", logId), LOG_ROW);
        return rows.stream().findFirst();
    }

    /** Site details for one page of logs, in a single round trip. */
    public Map<Long, DiveSite> sitesFor(long clubId, Collection<Long> siteIds) {
        if (siteIds.isEmpty()) {
            return Map.of();
        }
        List<DiveSite> sites = jdbc.query(
            "SELECT id, name, lat, lon FROM dive_sites WHERE club_id = :clubId AND id IN (:ids)",
            new MapSqlParameterSource().addValue("clubId", clubId).addValue("ids", siteIds),
            (rs, i) -> new DiveSite(rs.getLong("id"), rs.getString("name"), rs.getDouble("lat"), rs.getDouble("lon")));
        return sites.stream().collect(Collectors.toMap(DiveSite::id, Function.identity()));
    }

    /**
     * Stores a dive uploaded from the phone app. The app retries uploads on a bad
     * connection, so the client-generated UUID makes a repeat upload a no-op.
     * Returns true when the dive was new.
     */
    public boolean insertFromDevice(long clubId, long diverId, UUID clientLogId, DiveLog d) {
        int inserted = jdbc.update(
            "INSERT INTO dive_logs (club_id, diver_id, client_log_id, site_id, entered_at, " +
            "max_depth_cm, bottom_time_sec, water_temp_c) " +
            "VALUES (:clubId, :diverId, :clientLogId, :siteId, :enteredAt, :depth, :bottom, :temp) " +
            "ON CONFLICT (club_id, client_log_id) DO NOTHING",
            new MapSqlParameterSource()
                .addValue("clubId", clubId)
                .addValue("diverId", diverId)
                .addValue("clientLogId", clientLogId)
                .addValue("siteId", d.siteId())
                .addValue("enteredAt", java.sql.Timestamp.from(d.enteredAt()))
                .addValue("depth", d.maxDepthCm())
                .addValue("bottom", d.bottomTimeSec())
                .addValue("temp", d.waterTempC()));
        return inserted == 1;
    }
}
