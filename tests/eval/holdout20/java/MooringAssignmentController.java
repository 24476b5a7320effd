package net.quayside.moorings.api;

import net.quayside.moorings.tenancy.HarbourContext;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

import java.util.List;
import java.util.Map;

/**
 * Mooring allocation for harbour masters. Each harbour authority is a tenant; the
 * harbour id comes from the authenticated staff member, never from the request.
 */
@RestController
@RequestMapping("/api/moorings")
public class MooringAssignmentController {

    private static final int MAX_PAGE_SIZE = 100;

    private final JdbcTemplate jdbc;

    public MooringAssignmentController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Mooring(long id, String berthCode, double maxLoaMetres, Long vesselId) {}

    public record AssignRequest(long vesselId) {}

    @GetMapping
    public List<Mooring> list(@RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "50") int size) {
        int limit = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
        int offset = Math.max(page, 0) * limit;
        return jdbc.query(
                "SELECT id, berth_code, max_loa_metres, vessel_id FROM moorings "
                        + "WHERE harbour_id = ? ORDER BY berth_code LIMIT ? OFFSET ?",
                (rs, i) -> new Mooring(rs.getLong("id"), rs.getString("berth_code"),
                        rs.getDouble("max_loa_metres"), (Long) rs.getObject("vessel_id")),
                HarbourContext.currentHarbourId(), limit, offset);
    }

    /**
     * Puts a vessel on a free mooring. The vessel must fit the berth, and two harbour
     * masters clicking the same berth at once must not both succeed: the UPDATE only
     * matches while the berth is still empty, so the loser gets 0 rows and a 409.
     */
    @PostMapping("/{mooringId}/assignment")
    @Transactional
    public ResponseEntity<?> assign(@PathVariable long mooringId, @RequestBody AssignRequest req) {
        long harbourId = HarbourContext.currentHarbourId();

        int updated = jdbc.update(
                "UPDATE moorings m SET vessel_id = ?, assigned_at = now() "
                        + "FROM vessels v "
                        + "WHERE m.id = ? AND m.harbour_id = ? AND m.vessel_id IS NULL "
                        + "AND v.id = ? AND v.harbour_id = m.harbour_id AND v.loa_metres <= m.max_loa_metres",
                req.vesselId(), mooringId, harbourId, req.vesselId());

        if (updated == 0) {
            return ResponseEntity.status(409)
                    .body(Map.of("error", "berth is taken or too short for this vessel"));
        }

        jdbc.update("INSERT INTO mooring_history (harbour_id, mooring_id, vessel_id, event, at) "
                + "VALUES (?, ?, ?, 'ASSIGNED', now())", harbourId, mooringId, req.vesselId());
        return ResponseEntity.ok(Map.of("mooringId", mooringId, "vesselId", req.vesselId()));
    }

    /** Visiting yachts can queue for a berth; asking twice keeps a single waitlist entry. */
    @PostMapping("/waitlist")
    public ResponseEntity<?> joinWaitlist(@RequestBody AssignRequest req) {
        long harbourId = HarbourContext.currentHarbourId();
        int inserted = jdbc.update(
                "INSERT INTO mooring_waitlist (harbour_id, vessel_id, requested_at) "
                        + "SELECT ?, v.id, now() FROM vessels v WHERE v.id = ? AND v.harbour_id = ? "
                        + "ON CONFLICT (harbour_id, vessel_id) DO NOTHING",
                harbourId, req.vesselId(), harbourId);
        return ResponseEntity.status(inserted == 1 ? 201 : 200)
                .body(Map.of("vesselId", req.vesselId(), "queued", true));
    }
}
