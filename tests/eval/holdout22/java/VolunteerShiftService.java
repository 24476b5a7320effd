package org.hospicecare.rota;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Volunteer rota for the hospice sites (one site = one tenant). Volunteers pick open
 * shifts from the app; coordinators can move a volunteer between two shifts.
 */
@Service
public class VolunteerShiftService {

    private static final Logger log = LoggerFactory.getLogger(VolunteerShiftService.class);

    private final JdbcTemplate jdbc;

    public VolunteerShiftService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Shift> openShifts(long siteId, LocalDate from, int page) {
        return jdbc.query("""
                SELECT id, role, starts_at, ends_at, volunteer_id
                FROM volunteer_shifts
                WHERE site_id = ? AND volunteer_id IS NULL AND starts_at >= ?
                ORDER BY starts_at
                LIMIT 30 OFFSET ?
                """, Shift.MAPPER, siteId, from.atStartOfDay(), Math.max(page, 0) * 30);
    }

    /** Claims an open shift; false if another volunteer got there first. */
    @Transactional
    public boolean claim(long siteId, long shiftId, long volunteerId) {
        int updated = jdbc.update("""
                UPDATE volunteer_shifts
                SET volunteer_id = ?, claimed_at = now()
                WHERE id = ? AND site_id = ? AND volunteer_id IS NULL AND starts_at > now()
                """, volunteerId, shiftId, siteId);
        if (updated == 1) {
            log.info("volunteer {} claimed shift {} at site {}", volunteerId, shiftId, siteId);
        }
        return updated == 1;
    }

    /** Coordinator moves whoever is on shift A onto shift B (which must be open). */
    @Transactional
    public void move(long siteId, long fromShiftId, long toShiftId) {
        // Lock both rows in id order so two concurrent moves cannot deadlock or interleave.
        List<Shift> locked = jdbc.query("""
                SELECT id, role, starts_at, ends_at, volunteer_id
                FROM volunteer_shifts
                WHERE site_id = ? AND id IN (?, ?)
                ORDER BY id
                FOR UPDATE
                """, Shift.MAPPER, siteId, fromShiftId, toShiftId);
        if (locked.size() != 2) {
            throw new ShiftNotFoundException(siteId, fromShiftId, toShiftId);
        }
        Shift from = locked.stream().filter(s -> s.id() == fromShiftId).findFirst().orElseThrow();
        Shift to = locked.stream().filter(s -> s.id() == toShiftId).findFirst().orElseThrow();
        if (from.volunteerId() == null || to.volunteerId() != null) {
            throw new ShiftConflictException("source must be filled and target open");
        }
        jdbc.update("UPDATE volunteer_shifts SET volunteer_id = NULL WHERE id = ? AND site_id = ?", from.id(), siteId);
        jdbc.update("UPDATE volunteer_shifts SET volunteer_id = ?, claimed_at = now() WHERE id = ? AND site_id = ?",
                from.volunteerId(), to.id(), siteId);
    }

    public Optional<Shift> find(long siteId, long shiftId) {
        try {
            return Optional.of(jdbc.queryForObject(
                    "SELECT id, role, starts_at, ends_at, volunteer_id FROM volunteer_shifts WHERE id = ? AND site_id = ?",
                    Shift.MAPPER, shiftId, siteId));
        } catch (EmptyResultDataAccessException e) {
            return Optional.empty();
        }
    }
}
