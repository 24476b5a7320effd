package org.villagehalls.tuning.repo;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Piano tuning visits for village halls. Every table carries hall_id and every
 * statement here is scoped by it; the hall id comes from the committee
 * member's session.
 */
@Repository
public class PianoTuningRepository {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    private static final RowMapper<TuningSlot> SLOT = (rs, i) -> new TuningSlot(
            rs.getLong("id"), rs.getLong("piano_id"), rs.getTimestamp("starts_at").toInstant(),
            (Long) rs.getObject("booked_by"), rs.getLong("tuner_id"));

    public PianoTuningRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** Claims an open slot; false if another committee member got there first. */
    public boolean claimSlot(long hallId, long slotId, long memberId) {
        int rows = jdbc.update("""
                UPDATE tuning_slots
                   SET booked_by = ?, booked_at = now()
                 WHERE id = ? AND hall_id = ? AND booked_by IS NULL
                """, memberId, slotId, hallId);
        return rows == 1;
    }

    /** Registers the hall's piano by serial number; returns the existing id on repeat. */
    public long registerPiano(long hallId, String serialNo, String maker, int yearBuilt) {
        Optional<Long> inserted = jdbc.query("""
                INSERT INTO pianos (hall_id, serial_no, maker, year_built)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (hall_id, serial_no) DO NOTHING
                RETURNING id
                """, (rs, i) -> rs.getLong(1), hallId, serialNo, maker, yearBuilt).stream().findFirst();
        return inserted.orElseGet(() -> jdbc.queryForObject(
                "SELECT id FROM pianos WHERE hall_id = ? AND serial_no = ?", Long.class, hallId, serialNo));
    }

    public void recordTuningDone(long hallId, long slotId, int pitchHz) {
        jdbc.update("""
                UPDATE pianos p
                   SET tunings_count = p.tunings_count + 1,
                       last_pitch_hz = ?,
                       last_tuned_at = now()
                  FROM tuning_slots s
                 WHERE s.id = ? AND s.hall_id = ? AND p.id = s.piano_id AND p.hall_id = s.hall_id
                """, pitchHz, slotId, hallId);
    }

    public List<TuningSlot> upcoming(long hallId, int limit, int offset) {
        return jdbc.query("""
                SELECT id, piano_id, starts_at, booked_by, tuner_id
                  FROM tuning_slots
                 WHERE hall_id = ? AND starts_at > now()
                 ORDER BY starts_at
                 LIMIT ? OFFSET ?
                """, SLOT, hallId, Math.min(limit, 50), Math.max(offset, 0));
    }

    /** Tuner names for a page of slots, in one round trip. */
    public List<TunerName> tunerNames(long hallId, Collection<Long> tunerIds) {
        if (tunerIds.isEmpty()) {
            return List.of();
        }
        return named.query("""
                SELECT id, display_name FROM tuners
                 WHERE hall_id = :hallId AND id IN (:ids)
                """,
                new MapSqlParameterSource().addValue("hallId", hallId).addValue("ids", tunerIds),
                (rs, i) -> new TunerName(rs.getLong("id"), rs.getString("display_name")));
    }
}
