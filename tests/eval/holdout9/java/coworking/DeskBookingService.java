package io.deskhive.booking;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Desk booking for coworking spaces. Each space is a workspace (tenant);
 * desk_bookings has UNIQUE (desk_id, day) as a backstop.
 */
@Service
public class DeskBookingService {

    private final JdbcTemplate jdbc;

    public DeskBookingService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public long bookDesk(long workspaceId, long memberId, long deskId, LocalDate day) {
        // Lock the desk row so two bookings for the same desk serialize here.
        Map<String, Object> desk;
        try {
            desk = jdbc.queryForMap(
                    "SELECT id, active FROM desks WHERE id = ? AND workspace_id = ? FOR UPDATE", deskId, workspaceId);
        } catch (EmptyResultDataAccessException e) {
            throw new DeskNotFoundException(deskId);
        }
        if (!Boolean.TRUE.equals(desk.get("active"))) {
            throw new DeskUnavailableException(deskId, day);
        }

        Integer existing = jdbc.queryForObject(
                "SELECT COUNT(*) FROM desk_bookings WHERE desk_id = ? AND day = ? AND workspace_id = ?",
                Integer.class, deskId, day, workspaceId);
        if (existing != null && existing > 0) {
            throw new DeskUnavailableException(deskId, day);
        }

        try {
            return jdbc.queryForObject(
                    "INSERT INTO desk_bookings (workspace_id, member_id, desk_id, day) VALUES (?, ?, ?, ?) RETURNING id",
                    Long.class, workspaceId, memberId, deskId, day);
        } catch (DuplicateKeyException e) {
            // unique (desk_id, day) -- someone got there first via another path
            throw new DeskUnavailableException(deskId, day);
        }
    }

    @Transactional
    public void consumeDayPass(long workspaceId, long memberId) {
        int n = jdbc.update(
                "UPDATE memberships SET day_passes_left = day_passes_left - 1 " +
                "WHERE member_id = ? AND workspace_id = ? AND day_passes_left > 0",
                memberId, workspaceId);
        if (n == 0) {
            throw new NoPassesLeftException(memberId);
        }
    }

    public List<Booking> upcoming(long workspaceId, long memberId, int page, int size) {
        int limit = Math.min(Math.max(size, 1), 100);
        return jdbc.query(
                "SELECT id, desk_id, day FROM desk_bookings " +
                "WHERE workspace_id = ? AND member_id = ? AND day >= CURRENT_DATE ORDER BY day LIMIT ? OFFSET ?",
                new DataClassRowMapper<>(Booking.class), workspaceId, memberId, limit, Math.max(page, 0) * limit);
    }

    @Transactional
    public boolean cancel(long workspaceId, long memberId, long bookingId) {
        return jdbc.update(
                "DELETE FROM desk_bookings WHERE id = ? AND workspace_id = ? AND member_id = ? AND day >= CURRENT_DATE",
                bookingId, workspaceId, memberId) == 1;
    }

    public record Booking(long id, long deskId, LocalDate day) {}
}
