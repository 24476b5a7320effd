package org.marshringers.records.repo;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.marshringers.records.model.CaptureRecord;
import org.marshringers.records.model.NewCapture;
import org.marshringers.records.model.RingHistory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/**
 * Capture records for the wetland ringing groups. Several ringing groups share
 * the database, so every statement is scoped by ringing_group_id.
 */
@Repository
public class RingingRecordRepository {

    private static final int MAX_PAGE = 200;

    private final NamedParameterJdbcTemplate jdbc;

    public RingingRecordRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Keyset-paginated capture log for the group, newest first. Pass the last
     * (caught_at, id) of the previous page, or nulls for the first page.
     */
    public List<CaptureRecord> capturePage(long groupId, Instant beforeCaughtAt, Long beforeId, int pageSize) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("group", groupId)
                .addValue("beforeAt", beforeCaughtAt == null ? null : Timestamp.from(beforeCaughtAt))
                .addValue("beforeId", beforeId)
                .addValue("limit", Math.min(Math.max(pageSize, 1), MAX_PAGE));
        return jdbc.query("""
                SELECT id, ring_number, species_code, age_code, sex, wing_mm, mass_g, site_code, caught_at, ringer_initials
                FROM captures
                WHERE ringing_group_id = :group
                  AND (CAST(:beforeAt AS timestamptz) IS NULL OR (caught_at, id) < (:beforeAt, :beforeId))
                ORDER BY caught_at DESC, id DESC
                LIMIT :limit
                """, p, CaptureRecord.MAPPER);
    }

    /**
     * Previous captures for all the rings caught in one net round, so the
     * ringer sees retrap history on the sheet. One query for the whole round.
     */
    public Map<String, List<RingHistory>> historyForRings(long groupId, Collection<String> ringNumbers) {
        if (ringNumbers.isEmpty()) {
            return Map.of();
        }
        List<RingHistory> rows = jdbc.query("""
                SELECT ring_number, caught_at, site_code, wing_mm, mass_g
                FROM captures
                WHERE ringing_group_id = :group AND ring_number IN (:rings)
                ORDER BY ring_number, caught_at DESC
                LIMIT 2000
                """, new MapSqlParameterSource("group", groupId).addValue("rings", ringNumbers), RingHistory.MAPPER);
        return RingHistory.groupByRing(rows);
    }

    /**
     * Saves a net round. The unique index on (ringing_group_id, ring_number, caught_at)
     * means a sheet uploaded twice from a flaky phone signal does not double-count birds.
     */
    public int saveRound(long groupId, List<NewCapture> captures) {
        SqlParameterSource[] batch = captures.stream()
                .map(c -> new MapSqlParameterSource()
                        .addValue("group", groupId)
                        .addValue("ring", c.ringNumber())
                        .addValue("species", c.speciesCode())
                        .addValue("age", c.ageCode())
                        .addValue("sex", c.sex())
                        .addValue("wing", c.wingMm())
                        .addValue("mass", c.massG())
                        .addValue("site", c.siteCode())
                        .addValue("caughtAt", Timestamp.from(c.caughtAt()))
                        .addValue("ringer", c.ringerInitials()))
                .toArray(SqlParameterSource[]::new);
        int[] counts = jdbc.batchUpdate("""
                INSERT INTO captures (ringing_group_id, ring_number, species_code, age_code, sex, wing_mm, mass_g, site_code, caught_at, ringer_initials)
                VALUES (:group, :ring, :species, :age, :sex, :wing, :mass, :site, :caughtAt, :ringer)
                ON CONFLICT (ringing_group_id, ring_number, caught_at) DO NOTHING
                """, batch);
        int saved = 0;
        for (int c : counts) {
            saved += Math.max(c, 0);
        }
        return saved;
    }

    /** Species totals for one ringing session (a morning's nets), for the session summary card. */
    public List<Map<String, Object>> sessionTotals(long groupId, long sessionId) {
        return jdbc.queryForList("""
                SELECT species_code, count(*) AS birds, count(*) FILTER (WHERE is_retrap) AS retraps
                FROM captures
                WHERE ringing_group_id = :group AND session_id = :session
                GROUP BY species_code
                ORDER BY birds DESC
                LIMIT 100
                """, new MapSqlParameterSource("group", groupId).addValue("session", sessionId));
    }
}
