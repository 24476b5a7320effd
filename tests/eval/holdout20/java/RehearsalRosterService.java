package com.chorale.roster;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Rehearsal rosters for the choirs using Chorale. Every choir is a tenant (choir_id on
 * every table); the choir id passed in comes from the signed-in member's membership.
 */
@Service
public class RehearsalRosterService {

    private static final int MAX_PAGE = 100;

    private final NamedParameterJdbcTemplate jdbc;

    /**
     * The season calendar is identical for every member of a choir, so it is cached per
     * choir. Bounded and time-limited; concurrent misses for the same choir share one load.
     */
    private final LoadingCache<Long, List<Rehearsal>> seasonCalendar;

    public RehearsalRosterService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.seasonCalendar = Caffeine.newBuilder()
                .maximumSize(5_000)
                .expireAfterWrite(Duration.ofMinutes(10))
                .build(this::loadSeasonCalendar);
    }

    public record Rehearsal(long id, LocalDate date, String venue, String repertoire) {}

    public record Attendance(long rehearsalId, long memberId, String voicePart, String status) {}

    public record Member(long id, String name, String voicePart) {}

    public List<Rehearsal> upcomingRehearsals(long choirId) {
        return seasonCalendar.get(choirId);
    }

    private List<Rehearsal> loadSeasonCalendar(long choirId) {
        return jdbc.query(
                "SELECT id, rehearsal_date, venue, repertoire FROM rehearsals "
                        + "WHERE choir_id = :choirId AND rehearsal_date >= current_date "
                        + "ORDER BY rehearsal_date LIMIT 60",
                Map.of("choirId", choirId),
                (rs, i) -> new Rehearsal(rs.getLong("id"), rs.getDate("rehearsal_date").toLocalDate(),
                        rs.getString("venue"), rs.getString("repertoire")));
    }

    /**
     * Attendance grid for the next few rehearsals: one query for all of them instead of
     * one per rehearsal, grouped in memory by rehearsal id.
     */
    public Map<Long, List<Attendance>> attendanceGrid(long choirId, List<Long> rehearsalIds) {
        if (rehearsalIds.isEmpty()) {
            return Map.of();
        }
        List<Long> ids = rehearsalIds.stream().limit(12).toList();
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("choirId", choirId)
                .addValue("ids", ids);
        List<Attendance> rows = jdbc.query(
                "SELECT a.rehearsal_id, a.member_id, m.voice_part, a.status "
                        + "FROM attendance a JOIN members m ON m.id = a.member_id AND m.choir_id = a.choir_id "
                        + "WHERE a.choir_id = :choirId AND a.rehearsal_id IN (:ids)",
                params,
                (rs, i) -> new Attendance(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
        return rows.stream().collect(Collectors.groupingBy(Attendance::rehearsalId));
    }

    /** Member directory, alphabetical, a page at a time. */
    public List<Member> members(long choirId, String voicePart, int page, int size) {
        int limit = Math.min(Math.max(size, 1), MAX_PAGE);
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("choirId", choirId)
                .addValue("voicePart", voicePart)
                .addValue("limit", limit)
                .addValue("offset", Math.max(page, 0) * limit);
        return jdbc.query(
                "SELECT id, full_name, voice_part FROM members "
                        + "WHERE choir_id = :choirId AND (CAST(:voicePart AS text) IS NULL OR voice_part = :voicePart) "
                        + "AND active ORDER BY full_name LIMIT :limit OFFSET :offset",
                params,
                (rs, i) -> new Member(rs.getLong("id"), rs.getString("full_name"), rs.getString("voice_part")));
    }
}
