package org.orchardcoop.pressing.web;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Members of the orchard co-op reserve crate space on the hydraulic press for a pressing day.
 * A hold keeps the space for 20 minutes while the member confirms how many crates they bring;
 * confirmed holds count against the slot until the pressing day.
 */
@RestController
@RequestMapping("/api/press-slots")
public class CiderPressSlotController {

    private static final Duration HOLD_WINDOW = Duration.ofMinutes(20);

    private final JdbcTemplate jdbc;

    public CiderPressSlotController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record HoldRequest(long memberId, int crates) {}

    public record HoldView(UUID id, long slotId, int crates, boolean confirmed, Instant expiresAt) {}

    @PostMapping("/{slotId}/holds")
    @Transactional
    public ResponseEntity<?> holdSlot(@PathVariable long slotId, @RequestBody HoldRequest req) {
        if (req.crates() < 1 || req.crates() > 40) {
            return ResponseEntity.badRequest().body(Map.of("error", "crates must be between 1 and 40"));
        }

        Integer capacity = jdbc.queryForObject(
                "SELECT capacity_crates FROM press_slots WHERE id = ? AND cancelled = false",
                Integer.class, slotId);

        // Space already promised: confirmed holds plus holds still inside their 20 minute window.
        Integer promised = jdbc.queryForObject(
                "SELECT COALESCE(SUM(crates), 0) FROM press_slot_holds WHERE slot_id = ? AND (confirmed OR expires_at > now())",
                Integer.class, slotId);

        if (promised + req.crates() > capacity) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "not enough room on the press for that many crates",
                                 "remaining", Math.max(0, capacity - promised)));
        }

        UUID holdId = UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(HOLD_WINDOW);
        jdbc.update(
                "INSERT INTO press_slot_holds (id, slot_id, member_id, crates, confirmed, expires_at) VALUES (?, ?, ?, ?, false, ?)",
                holdId, slotId, req.memberId(), req.crates(), Timestamp.from(expiresAt));

        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new HoldView(holdId, slotId, req.crates(), false, expiresAt));
    }

    @PostMapping("/holds/{holdId}/confirm")
    public ResponseEntity<?> confirm(@PathVariable UUID holdId, @RequestParam long memberId) {
        int updated = jdbc.update(
                "UPDATE press_slot_holds SET confirmed = true WHERE id = ? AND member_id = ? AND expires_at > now()",
                holdId, memberId);
        if (updated == 0) {
            return ResponseEntity.status(HttpStatus.GONE)
                    .body(Map.of("error", "hold expired, please reserve again"));
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/members/{memberId}/holds")
    public List<HoldView> memberHolds(@PathVariable long memberId) {
        return jdbc.query(
                "SELECT id, slot_id, crates, confirmed, expires_at FROM press_slot_holds "
                        + "WHERE member_id = ? AND (confirmed OR expires_at > now()) ORDER BY expires_at DESC LIMIT 50",
                (rs, i) -> new HoldView(
                        rs.getObject("id", UUID.class),
                        rs.getLong("slot_id"),
                        rs.getInt("crates"),
                        rs.getBoolean("confirmed"),
                        rs.getTimestamp("expires_at").toInstant()),
                memberId);
    }
}
