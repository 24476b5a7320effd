package studio.claypit.kilns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Firing queue for the community pottery's three kilns.
 *
 * Members reserve shelf space for their pieces (a hold lasts 20 minutes while they
 * pick a glaze), and the studio technician rebuilds the firing plan when a kiln is
 * loaded. The members' app runs as two instances behind the studio's load balancer.
 */
@RestController
@RequestMapping("/api/kilns/{kilnId}")
public class KilnFiringQueueController {

    /** kilnId -> "REBUILDING since ..." while a plan rebuild is running. */
    private final Map<Long, String> rebuildInProgress = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final FiringCurveSimulator simulator;

    public KilnFiringQueueController(JdbcTemplate jdbc, FiringCurveSimulator simulator) {
        this.jdbc = jdbc;
        this.simulator = simulator;
    }

    public record ShelfHoldRequest(long memberId, int shelf, int pieces) {}

    @PostMapping("/holds")
    @Transactional
    public ResponseEntity<Map<String, Object>> holdShelf(@PathVariable long kilnId, @RequestBody ShelfHoldRequest req) {
        int free = jdbc.update(
                "UPDATE kiln_shelves SET free_slots = free_slots - ? WHERE kiln_id = ? AND shelf = ? AND free_slots >= ?",
                req.pieces(), kilnId, req.shelf(), req.pieces());
        if (free == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "shelf full"));
        }
        jdbc.update("INSERT INTO kiln_shelf_holds (kiln_id, shelf, member_id, pieces, expires_at) VALUES (?, ?, ?, ?, now() + interval '20 minutes')",
                kilnId, req.shelf(), req.memberId(), req.pieces());
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("kilnId", kilnId, "shelf", req.shelf()));
    }

    @GetMapping("/holds/active")
    public List<Map<String, Object>> activeHolds(@PathVariable long kilnId) {
        return jdbc.queryForList(
                "SELECT shelf, member_id, pieces, expires_at FROM kiln_shelf_holds " +
                "WHERE kiln_id = ? AND expires_at > now() ORDER BY shelf, expires_at LIMIT 100",
                kilnId);
    }

    /** Rebuilds the firing plan: simulates the heat-work curve for every queued piece. */
    @PostMapping("/plan/rebuild")
    public ResponseEntity<Map<String, Object>> rebuildPlan(@PathVariable long kilnId) {
        if (rebuildInProgress.putIfAbsent(kilnId, "REBUILDING since " + Instant.now()) != null) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("status", rebuildInProgress.get(kilnId)));
        }
        try {
            List<Map<String, Object>> queued = jdbc.queryForList(
                    "SELECT id, clay_body, glaze, thickness_mm, cone FROM kiln_queue " +
                    "WHERE kiln_id = ? AND status = 'QUEUED' ORDER BY queued_at LIMIT 400",
                    kilnId);

            List<Object[]> plan = new ArrayList<>(queued.size());
            // each simulation integrates the full bisque + glaze schedule, a few seconds per piece
            for (Map<String, Object> piece : queued) {
                FiringCurveSimulator.Result r = simulator.simulate(piece);
                plan.add(new Object[] { r.shelf(), r.cone(), piece.get("id") });
            }
            jdbc.batchUpdate("UPDATE kiln_queue SET planned_shelf = ?, planned_cone = ?, status = 'PLANNED' WHERE id = ?", plan);
            return ResponseEntity.ok(Map.of("kilnId", kilnId, "planned", plan.size()));
        } finally {
            rebuildInProgress.remove(kilnId);
        }
    }
}
