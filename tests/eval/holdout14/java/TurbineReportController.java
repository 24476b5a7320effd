// The 504 you're seeing is the gateway giving up after 30 s while the controller is still
// crunching a year of 10-minute SCADA data. Since you run 4 pods, the job state can't live
// in a field on the controller either. Here's the usual pattern:
//   1. POST creates a row in report_jobs and returns 202 with a Location header
//   2. an @Async worker (separate bean, so the proxy applies) builds the report
//   3. GET /api/reports/{id} reads the status from the table, so any pod can answer
//   4. a nightly job deletes expired job rows (files expire via the bucket lifecycle rule)

package com.northwind.scada.reports;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.*;

import jakarta.validation.Valid;
import java.net.URI;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/reports")
public class TurbineReportController {

    private final JdbcTemplate jdbc;
    private final AvailabilityReportWorker worker;

    public TurbineReportController(JdbcTemplate jdbc, AvailabilityReportWorker worker) {
        this.jdbc = jdbc;
        this.worker = worker;
    }

    @PostMapping("/availability")
    public ResponseEntity<Map<String, Object>> requestReport(@Valid @RequestBody ReportRequest req) {
        UUID jobId = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO report_jobs (id, farm_code, period_start, period_end, status, created_at, expires_at)
                VALUES (?, ?, ?, ?, 'QUEUED', now(), now() + interval '7 days')
                """, jobId, req.farmCode(), req.from(), req.to());
        worker.generate(jobId, req);
        return ResponseEntity.accepted()
                .location(URI.create("/api/reports/" + jobId))
                .body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/{jobId}")
    public Map<String, Object> status(@PathVariable UUID jobId) {
        return jdbc.queryForMap(
                "SELECT id, status, download_url, error, created_at FROM report_jobs WHERE id = ?", jobId);
    }

    public record ReportRequest(String farmCode, LocalDate from, LocalDate to) {}
}

@Service
class AvailabilityReportWorker {

    private static final Logger log = LoggerFactory.getLogger(AvailabilityReportWorker.class);

    private final JdbcTemplate jdbc;
    private final ReportStorage storage;

    AvailabilityReportWorker(JdbcTemplate jdbc, ReportStorage storage) {
        this.jdbc = jdbc;
        this.storage = storage;
    }

    @Async("reportExecutor")
    public void generate(UUID jobId, TurbineReportController.ReportRequest req) {
        jdbc.update("UPDATE report_jobs SET status = 'RUNNING', started_at = now() WHERE id = ?", jobId);
        try {
            var rows = jdbc.queryForList("""
                    SELECT turbine_id,
                           date_trunc('day', ts) AS day,
                           SUM(CASE WHEN state = 'GENERATING' THEN 600 ELSE 0 END)::float / 86400 AS availability,
                           SUM(active_power_kw) / 6 AS energy_kwh
                    FROM scada_10min
                    WHERE farm_code = ? AND ts >= ? AND ts < ?
                    GROUP BY turbine_id, day
                    ORDER BY turbine_id, day
                    """, req.farmCode(), req.from(), req.to().plusDays(1));
            String url = storage.writeXlsx("availability-" + jobId + ".xlsx", rows);
            jdbc.update("UPDATE report_jobs SET status = 'DONE', download_url = ?, finished_at = now() WHERE id = ?",
                    url, jobId);
        } catch (Exception e) {
            log.error("availability report {} failed", jobId, e);
            jdbc.update("UPDATE report_jobs SET status = 'FAILED', error = ?, finished_at = now() WHERE id = ?",
                    e.getMessage(), jobId);
        }
    }

    // 03:30 daily; DELETE is idempotent so it is fine if several pods run it
    @Scheduled(cron = "0 30 3 * * *")
    public void purgeExpired() {
        // the xlsx files themselves sit in a bucket with a 7-day lifecycle rule
        int n = jdbc.update("DELETE FROM report_jobs WHERE expires_at < now()");
        log.info("purged {} expired report jobs", n);
    }
}
