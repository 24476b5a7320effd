package org.claycollective.kiln.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Firing slots for the studio's two electric kilns and the gas kiln.
 *
 * A member places a hold on a slot while filling in the load sheet (cone,
 * shelf count, glaze list). The hold is confirmed once the sheet is submitted
 * and a firing row is created for the kiln tech.
 */
@Service
public class KilnSlotService {

    private static final Duration HOLD_TTL = Duration.ofMinutes(20);
    private static final Duration CALENDAR_TTL = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper mapper;

    public KilnSlotService(JdbcTemplate jdbc, StringRedisTemplate redis, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.mapper = mapper;
    }

    /** Month grid shown on the studio home page and the member app. */
    public String monthCalendarJson(long kilnId, LocalDate month) throws JsonProcessingException {
        String key = "kiln:calendar:" + kilnId + ":" + month.withDayOfMonth(1);
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return cached;
        }

        List<Map<String, Object>> days = jdbc.queryForList("""
                SELECT s.slot_date,
                       s.program,
                       count(DISTINCT f.id)         AS firings,
                       coalesce(sum(f.shelf_count), 0) AS shelves_used,
                       count(p.id)                  AS pieces,
                       avg(f.peak_cone)             AS avg_cone,
                       max(f.updated_at)            AS last_change
                  FROM kiln_slots s
                  LEFT JOIN firings f       ON f.slot_id = s.id
                  LEFT JOIN firing_pieces p ON p.firing_id = f.id
                 WHERE s.kiln_id = ?
                   AND s.slot_date >= ? AND s.slot_date < ?
                 GROUP BY s.slot_date, s.program
                 ORDER BY s.slot_date
                """, kilnId, month.withDayOfMonth(1), month.withDayOfMonth(1).plusMonths(1));

        String json = mapper.writeValueAsString(days);
        redis.opsForValue().set(key, json, CALENDAR_TTL);
        return json;
    }

    @Transactional
    public long placeHold(long kilnId, long slotId, long memberId) {
        Integer activeHolds = jdbc.queryForObject(
                "SELECT count(*) FROM slot_holds WHERE slot_id = ? AND expires_at > now()",
                Integer.class, slotId);
        if (activeHolds != null && activeHolds > 0) {
            throw new SlotUnavailableException(slotId, "someone is filling in a load sheet");
        }

        Instant expiresAt = Instant.now().plus(HOLD_TTL);
        Long holdId = jdbc.queryForObject(
                "INSERT INTO slot_holds (slot_id, kiln_id, member_id, expires_at) VALUES (?, ?, ?, ?) RETURNING id",
                Long.class, slotId, kilnId, memberId, Timestamp.from(expiresAt));
        return holdId;
    }

    /** Called when the load sheet is submitted. */
    @Transactional
    public long confirmHold(long holdId, long memberId, LoadSheet sheet) {
        int updated = jdbc.update("""
                UPDATE slot_holds
                   SET confirmed_at = now()
                 WHERE id = ? AND member_id = ?
                   AND confirmed_at IS NULL
                   AND expires_at > now()
                """, holdId, memberId);
        if (updated != 1) {
            throw new HoldExpiredException(holdId);
        }

        return jdbc.queryForObject("""
                INSERT INTO firings (slot_id, member_id, peak_cone, shelf_count, glazes)
                SELECT h.slot_id, h.member_id, ?, ?, ?
                  FROM slot_holds h
                 WHERE h.id = ?
                RETURNING id
                """, Long.class, sheet.peakCone(), sheet.shelfCount(), sheet.glazesCsv(), holdId);
    }
}
