package org.waterways.lockkeeper.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Passage log endpoints used by the lock-keeper tablet app.
 *
 * Several navigation trusts share this deployment; every passage_log row carries
 * the trust_id of the trust that owns the lock. The trust of the signed-in keeper
 * is resolved from the bearer token by KeeperContext.
 */
@RestController
@RequestMapping("/api/passages")
public class CanalPassageLogController {

    private final JdbcTemplate jdbc;
    private final KeeperContext keeperContext;

    public CanalPassageLogController(JdbcTemplate jdbc, KeeperContext keeperContext) {
        this.jdbc = jdbc;
        this.keeperContext = keeperContext;
    }

    public record PassageView(long id, String boatName, String licenceNumber, String direction,
                              int chambersUsed, Object passedAt) {}

    /** Passage history for one lock, newest first, shown on the keeper's "log book" tab. */
    @GetMapping("/locks/{lockId}")
    public List<PassageView> passagesForLock(@PathVariable long lockId) {
        long trustId = keeperContext.currentTrustId();

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, boat_id, direction, chambers_used, passed_at FROM passage_log WHERE lock_id = ? AND trust_id = ? ORDER BY passed_at DESC",
                lockId, trustId);

        List<PassageView> result = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            // boat licences are national (shared by all trusts) and live in the licensing schema
            Map<String, Object> boat = jdbc.queryForMap("SELECT name, licence_number FROM licensing.boats WHERE id = ?", row.get("boat_id"));
            result.add(new PassageView(
                    ((Number) row.get("id")).longValue(),
                    (String) boat.get("name"),
                    (String) boat.get("licence_number"),
                    (String) row.get("direction"),
                    ((Number) row.get("chambers_used")).intValue(),
                    row.get("passed_at")));
        }
        return result;
    }

    /** Single entry, opened when a keeper taps a row to correct it. */
    @GetMapping("/{passageId}")
    public ResponseEntity<Map<String, Object>> passage(@PathVariable long passageId) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, lock_id, boat_id, direction, chambers_used, passed_at, keeper_notes FROM passage_log WHERE id = ?",
                passageId);
        if (rows.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(rows.get(0));
    }

    public record NewPassage(long lockId, long boatId, String direction, int chambersUsed, String keeperNotes) {}

    /** Logs a boat through the lock; chambers_used feeds the trust's water-usage return. */
    @PostMapping
    public ResponseEntity<Map<String, Object>> logPassage(@RequestBody NewPassage p) {
        long trustId = keeperContext.currentTrustId();
        Long id = jdbc.queryForObject(
                "INSERT INTO passage_log (trust_id, lock_id, boat_id, direction, chambers_used, keeper_notes, passed_at) " +
                "SELECT l.trust_id, l.id, ?, ?, ?, ?, now() FROM locks l WHERE l.id = ? AND l.trust_id = ? RETURNING id",
                Long.class, p.boatId(), p.direction(), p.chambersUsed(), p.keeperNotes(), p.lockId(), trustId);
        return ResponseEntity.status(201).body(Map.of("id", id));
    }
}
