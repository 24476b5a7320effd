package uk.gov.parish.footpaths.exports;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Parish footpath survey reports (stiles, gates, waymarks, overgrowth) exported for the
 * county rights-of-way officer. A full-year export for a large parish takes a few minutes,
 * so the request only queues a job; any instance's worker picks it up from the table.
 */
@RestController
@RequestMapping("/api/parishes/{parishId}/survey-exports")
public class FootpathSurveyExportController {

    private static final Logger log = LoggerFactory.getLogger(FootpathSurveyExportController.class);

    public record ExportRequest(LocalDate from, LocalDate to) {}

    private final JdbcTemplate jdbc;
    private final ExportStorage storage;

    public FootpathSurveyExportController(JdbcTemplate jdbc, ExportStorage storage) {
        this.jdbc = jdbc;
        this.storage = storage;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> request(@PathVariable long parishId, @RequestBody ExportRequest req) {
        UUID jobId = UUID.randomUUID();
        jdbc.update(
            "INSERT INTO survey_export_jobs (id, parish_id, date_from, date_to, status, created_at, expires_at) " +
            "VALUES (?, ?, ?, ?, 'QUEUED', now(), now() + interval '7 days')",
            jobId, parishId, req.from(), req.to());
        return ResponseEntity.accepted()
            .location(URI.create("/api/parishes/" + parishId + "/survey-exports/" + jobId))
            .body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/{jobId}")
    public Map<String, Object> status(@PathVariable long parishId, @PathVariable UUID jobId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
            "SELECT id, status, download_key, created_at FROM survey_export_jobs WHERE id = ? AND parish_id = ?",
            jobId, parishId);
        if (rows.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return rows.get(0);
    }

    /** Worker: claims one queued job at a time; SKIP LOCKED keeps instances off each other's jobs. */
    @Scheduled(fixedDelay = 5_000)
    @Transactional
    public void runNextJob() {
        List<Map<String, Object>> claimed = jdbc.queryForList(
            "SELECT id, parish_id, date_from, date_to FROM survey_export_jobs " +
            "WHERE status = 'QUEUED' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED");
        if (claimed.isEmpty()) {
            return;
        }
        Map<String, Object> job = claimed.get(0);
        UUID jobId = (UUID) job.get("id");
        try (ExportStorage.CsvUpload upload = storage.openCsv("footpaths/" + jobId + ".csv")) {
            jdbc.query(
                "SELECT path_ref, surveyed_on, issue_type, grid_ref, notes FROM footpath_reports " +
                "WHERE parish_id = ? AND surveyed_on >= ? AND surveyed_on <= ? ORDER BY path_ref, surveyed_on",
                (RowCallbackHandler) rs -> upload.writeRow(rs.getString(1), rs.getDate(2), rs.getString(3),
                    rs.getString(4), rs.getString(5)),
                job.get("parish_id"), job.get("date_from"), job.get("date_to"));
            jdbc.update("UPDATE survey_export_jobs SET status = 'DONE', download_key = ? WHERE id = ?",
                upload.key(), jobId);
        } catch (Exception e) {
            log.error("survey export {} failed", jobId, e);
            jdbc.update("UPDATE survey_export_jobs SET status = 'FAILED' WHERE id = ?", jobId);
        }
    }

    /** Finished and abandoned jobs go after a week, together with their files. */
    @Scheduled(cron = "0 15 2 * * *")
    public void purgeExpiredJobs() {
        List<String> keys = jdbc.queryForList(
            "DELETE FROM survey_export_jobs WHERE expires_at < now() RETURNING download_key", String.class);
        keys.stream().filter(k -> k != null).forEach(storage::delete);
        log.info("purged {} expired footpath survey exports", keys.size());
    }
}
