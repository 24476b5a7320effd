package org.countylibrary.circulation;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/branches/{branchId}")
class LibraryHoldController {

    private final JdbcTemplate jdbc;
    private final HoldExportService exports;

    LibraryHoldController(JdbcTemplate jdbc, HoldExportService exports) {
        this.jdbc = jdbc;
        this.exports = exports;
    }

    @GetMapping("/holds/ready")
    List<HoldRow> readyShelf(@PathVariable long branchId,
                             @RequestParam(defaultValue = "0") int page) {
        return jdbc.query("""
                SELECT h.id, h.patron_id, c.barcode, h.expires_at
                  FROM holds h JOIN copies c ON c.id = h.copy_id
                 WHERE h.pickup_branch_id = ? AND h.status = 'READY'
                 ORDER BY h.expires_at
                 LIMIT 100 OFFSET ?
                """, HoldRow.MAPPER, branchId, page * 100);
    }

    /** Staff scans a returned copy; it goes to the oldest waiting hold for that title. */
    @PostMapping("/copies/{copyId}/trap")
    @Transactional
    ResponseEntity<?> trapCopy(@PathVariable long branchId, @PathVariable long copyId) {
        int claimed = jdbc.update("""
                UPDATE copies SET status = 'ON_HOLD_SHELF'
                 WHERE id = ? AND current_branch_id = ? AND status = 'CHECKED_IN'
                """, copyId, branchId);
        if (claimed == 0) {
            return ResponseEntity.status(409).body("copy is not available to trap");
        }
        List<Long> hold = jdbc.queryForList("""
                SELECT h.id FROM holds h JOIN copies c ON c.title_id = h.title_id
                 WHERE c.id = ? AND h.status = 'WAITING'
                 ORDER BY h.placed_at
                 LIMIT 1
                 FOR UPDATE OF h SKIP LOCKED
                """, Long.class, copyId);
        if (hold.isEmpty()) {
            jdbc.update("UPDATE copies SET status = 'CHECKED_IN' WHERE id = ?", copyId);
            return ResponseEntity.ok("no waiting holds; reshelve");
        }
        jdbc.update("""
                UPDATE holds SET status = 'READY', copy_id = ?, pickup_branch_id = ?,
                       expires_at = now() + interval '7 days'
                 WHERE id = ?
                """, copyId, branchId, hold.get(0));
        return ResponseEntity.ok(hold.get(0));
    }

    /** Full circulation export for the branch: queued, not built inline. */
    @PostMapping("/holds/export")
    ResponseEntity<?> export(@PathVariable long branchId) {
        UUID jobId = UUID.randomUUID();
        jdbc.update("INSERT INTO export_jobs (id, branch_id, status) VALUES (?, ?, 'QUEUED')", jobId, branchId);
        exports.run(jobId, branchId);
        return ResponseEntity.accepted().location(URI.create("/api/export-jobs/" + jobId)).build();
    }
}

@Service
class HoldExportService {

    private static final Logger log = LoggerFactory.getLogger(HoldExportService.class);
    private final JdbcTemplate jdbc;
    private final ExportWriter writer;

    HoldExportService(JdbcTemplate jdbc, ExportWriter writer) {
        this.jdbc = jdbc;
        this.writer = writer;
    }

    @Async("exportExecutor")
    public void run(UUID jobId, long branchId) {
        try {
            String url = writer.writeBranchHolds(branchId);   // streams rows to S3
            jdbc.update("UPDATE export_jobs SET status = 'DONE', result_url = ? WHERE id = ?", url, jobId);
        } catch (Exception e) {
            log.error("export job {} failed", jobId, e);
            jdbc.update("UPDATE export_jobs SET status = 'FAILED', error = ? WHERE id = ?", e.getMessage(), jobId);
        }
    }

    /** Uncollected holds lapse after a week; the copy goes back to circulation. */
    @Scheduled(cron = "0 15 * * * *")
    @Transactional
    public void expireUncollectedHolds() {
        jdbc.update("""
                UPDATE copies SET status = 'CHECKED_IN'
                 WHERE id IN (SELECT copy_id FROM holds WHERE status = 'READY' AND expires_at < now())
                """);
        int n = jdbc.update("DELETE FROM holds WHERE status = 'READY' AND expires_at < now()");
        log.info("expired {} uncollected holds", n);
    }
}
